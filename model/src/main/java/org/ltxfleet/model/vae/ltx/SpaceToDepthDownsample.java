package org.ltxfleet.model.vae.ltx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import org.ltxfleet.model.nn.Module;

/**
 * The encoder's {@code compress_*_res}: a convolution to {@code out / stride volume} channels
 * folded space-to-depth, plus a parameter-free skip path that folds the input the same way and
 * averages each group of consecutive channels down to {@code out}. Halving time first repeats the
 * first frame, so 1 + 2k frames become 1 + k and the first frame stays alone.
 */
final class SpaceToDepthDownsample extends Module {

    private final CausalConv3d conv;
    private final int[] stride;
    private final int groupSize;
    private final int out;

    SpaceToDepthDownsample(int in, int out, int[] stride) {
        this.stride = stride;
        this.out = out;
        int volume = stride[0] * stride[1] * stride[2];
        this.groupSize = in * volume / out;
        this.conv = child("conv", new CausalConv3d(in, out / volume));
    }

    NDArray forward(NDArray x) {
        NDArray input = x;
        if (stride[0] == 2) {
            input = NDArrays.concat(new NDList(x.get(new NDIndex(":, :, 0:1")), x), 2);
        }
        NDArray skip = VaeLayout.spaceToDepth(input, stride);
        long[] s = skip.getShape().getShape();
        skip = skip.reshape(s[0], out, groupSize, s[2], s[3], s[4]).mean(new int[] {2});
        return VaeLayout.spaceToDepth(conv.forward(input, true), stride).add(skip);
    }
}
