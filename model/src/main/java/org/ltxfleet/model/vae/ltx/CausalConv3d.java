package org.ltxfleet.model.vae.ltx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv3d;
import org.ltxfleet.model.nn.Module;

/**
 * LTX's 3×3×3 convolution with time padding by frame replication: causal calls repeat the first
 * frame twice in front (an output frame sees only itself and earlier frames), non-causal calls
 * repeat the first and the last frame once. Height and width are zero-padded by the convolution.
 * Its weights sit one level down, under {@code conv}, as in the checkpoint.
 */
final class CausalConv3d extends Module {

    private static final Shape UNIT = new Shape(1, 1, 1);
    private static final Shape SPATIAL_PADDING = new Shape(0, 1, 1);

    private final Kernel kernel;

    CausalConv3d(int in, int out) {
        kernel = child("conv", new Kernel(in, out));
    }

    NDArray forward(NDArray x, boolean causal) {
        NDArray first = x.get(new NDIndex(":, :, 0:1"));
        NDArray padded;
        if (causal) {
            padded = NDArrays.concat(new ai.djl.ndarray.NDList(first, first, x), 2);
        } else {
            NDArray last = x.get(new NDIndex(":, :, -1:"));
            padded = NDArrays.concat(new ai.djl.ndarray.NDList(first, x, last), 2);
        }
        return Conv3d.conv3d(padded, kernel.weight.getArray(), kernel.bias.getArray(), UNIT, SPATIAL_PADDING, UNIT, 1)
                .singletonOrThrow();
    }

    int outChannels() {
        return (int) kernel.weight.getShape().get(0);
    }

    /** The wrapped {@code nn.Conv3d}'s parameters. */
    private static final class Kernel extends Module {
        private final Parameter weight;
        private final Parameter bias;

        Kernel(int in, int out) {
            weight = parameter("weight", new Shape(out, in, 3, 3, 3));
            bias = parameter("bias", new Shape(out));
        }
    }
}
