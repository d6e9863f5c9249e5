package org.ltxfleet.model.vae.ltx;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.ltxfleet.model.nn.Functional;
import org.ltxfleet.model.nn.Module;

/**
 * A {@code res_x} block: residual blocks at one width, each {@code x + conv2(silu(norm(conv1(silu(norm(x))))))}
 * with parameter-free PixelNorm.
 */
final class ResnetStack extends Module {

    private final List<ResnetBlock> blocks = new ArrayList<>();

    ResnetStack(int channels, int layers) {
        for (int i = 0; i < layers; i++) {
            blocks.add(child("res_blocks." + i, new ResnetBlock(channels)));
        }
    }

    NDArray forward(NDArray x, boolean causal) {
        NDArray out = x;
        for (ResnetBlock block : blocks) {
            out = block.forward(out, causal);
        }
        return out;
    }

    private static final class ResnetBlock extends Module {
        private final CausalConv3d conv1;
        private final CausalConv3d conv2;

        ResnetBlock(int channels) {
            conv1 = child("conv1", new CausalConv3d(channels, channels));
            conv2 = child("conv2", new CausalConv3d(channels, channels));
        }

        NDArray forward(NDArray x, boolean causal) {
            NDArray h = conv1.forward(Functional.silu(VaeLayout.pixelNorm(x)), causal);
            h = conv2.forward(Functional.silu(VaeLayout.pixelNorm(h)), causal);
            return x.add(h);
        }
    }
}
