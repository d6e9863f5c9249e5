package org.ltxfleet.model.vae.ltx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import org.ltxfleet.model.nn.Module;

/**
 * The decoder's {@code compress_*}: a convolution to {@code stride volume × in / multiplier}
 * channels unfolded depth-to-space; doubling time drops the first output frame (1 + k frames
 * become 1 + 2k). With {@code residual}, the input unfolded the same way and tiled over the
 * channels is added.
 */
final class DepthToSpaceUpsample extends Module {

    private final CausalConv3d conv;
    private final int[] stride;
    private final int tiles;
    private final boolean residual;

    DepthToSpaceUpsample(int in, int[] stride, int multiplier, boolean residual) {
        this.stride = stride;
        this.residual = residual;
        int volume = stride[0] * stride[1] * stride[2];
        this.tiles = volume / multiplier;
        this.conv = child("conv", new CausalConv3d(in, volume * in / multiplier));
    }

    NDArray forward(NDArray x, boolean causal) {
        NDArray y = dropFirstFrame(VaeLayout.depthToSpace(conv.forward(x, causal), stride));
        if (residual) {
            NDArray skip = dropFirstFrame(VaeLayout.depthToSpace(x, stride));
            y = y.add(skip.tile(new long[] {1, tiles, 1, 1, 1}));
        }
        return y;
    }

    private NDArray dropFirstFrame(NDArray x) {
        return stride[0] == 2 ? x.get(new NDIndex(":, :, 1:")) : x;
    }
}
