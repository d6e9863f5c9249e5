package org.ltxfleet.model.vae.ltx;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.ltxfleet.model.nn.Functional;
import org.ltxfleet.model.nn.Module;

/**
 * Latent (B, C, 1+k, h, w) → pixels (B, 3, 1+8k, 32h, 32w): {@code conv_in} to the bottleneck
 * width, {@code up_blocks} (the config's decoder blocks in reverse), PixelNorm, SiLU,
 * {@code conv_out}, the 4×4 patch unfold. Convolutions pad time causally only if the config says
 * {@code causal_decoder} (LTX-2.3 does not).
 */
final class VaeDecoder extends Module {

    private final CausalConv3d convIn;
    private final List<Module> upBlocks = new ArrayList<>();
    private final CausalConv3d convOut;
    private final boolean causal;

    VaeDecoder(VaeConfig config) {
        causal = config.causalDecoder();
        int channels = config.decoderBottleneckChannels();
        convIn = child("conv_in", new CausalConv3d(config.latentChannels(), channels));
        List<VaeBlock> blocks = config.decoderBlocks().reversed();
        for (int i = 0; i < blocks.size(); i++) {
            VaeBlock block = blocks.get(i);
            if (block.isResStack()) {
                upBlocks.add(child("up_blocks." + i, new ResnetStack(channels, block.layers())));
            } else {
                upBlocks.add(child("up_blocks." + i,
                        new DepthToSpaceUpsample(channels, block.stride(), block.multiplier(), block.residual())));
                channels /= block.multiplier();
            }
        }
        convOut = child("conv_out", new CausalConv3d(channels, VaeConfig.RGB * VaeConfig.PATCH * VaeConfig.PATCH));
    }

    NDArray forward(NDArray latent) {
        NDArray x = convIn.forward(latent, causal);
        for (Module block : upBlocks) {
            x = block instanceof ResnetStack stack ? stack.forward(x, causal)
                    : ((DepthToSpaceUpsample) block).forward(x, causal);
        }
        x = convOut.forward(Functional.silu(VaeLayout.pixelNorm(x)), causal);
        return VaeLayout.unpatchify(x, VaeConfig.PATCH);
    }
}
