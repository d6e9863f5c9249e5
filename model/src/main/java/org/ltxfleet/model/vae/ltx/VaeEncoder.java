package org.ltxfleet.model.vae.ltx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;
import org.ltxfleet.model.nn.Functional;
import org.ltxfleet.model.nn.Module;

/**
 * Pixels (B, 3, 1+8k, H, W) in [−1, 1] → latent means (B, C, 1+k, H/32, W/32), every convolution
 * causal: the 4×4 patch fold, {@code conv_in}, {@code down_blocks} in config order, PixelNorm, SiLU,
 * {@code conv_out}. The log-variance channel(s) of {@code conv_out} are dropped: LTX encodes to the mean.
 */
final class VaeEncoder extends Module {

    private final CausalConv3d convIn;
    private final List<Module> downBlocks = new ArrayList<>();
    private final CausalConv3d convOut;
    private final int latentChannels;

    VaeEncoder(VaeConfig config) {
        latentChannels = config.latentChannels();
        int channels = config.latentChannels();
        convIn = child("conv_in", new CausalConv3d(VaeConfig.RGB * VaeConfig.PATCH * VaeConfig.PATCH, channels));
        List<VaeBlock> blocks = config.encoderBlocks();
        for (int i = 0; i < blocks.size(); i++) {
            VaeBlock block = blocks.get(i);
            if (block.isResStack()) {
                downBlocks.add(child("down_blocks." + i, new ResnetStack(channels, block.layers())));
            } else {
                int out = channels * block.multiplier();
                downBlocks.add(child("down_blocks." + i, new SpaceToDepthDownsample(channels, out, block.stride())));
                channels = out;
            }
        }
        convOut = child("conv_out", new CausalConv3d(channels, config.encoderOutChannels()));
    }

    NDArray forward(NDArray pixels) {
        NDArray x = convIn.forward(VaeLayout.patchify(pixels, VaeConfig.PATCH), true);
        for (Module block : downBlocks) {
            x = block instanceof ResnetStack stack ? stack.forward(x, true)
                    : ((SpaceToDepthDownsample) block).forward(x);
        }
        x = convOut.forward(Functional.silu(VaeLayout.pixelNorm(x)), true);
        return x.get(new NDIndex(":, 0:" + latentChannels));
    }
}
