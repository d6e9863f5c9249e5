package org.ltxfleet.model.text.gemma;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.ltxfleet.model.nn.Tensors;

/**
 * Rotate-half RoPE tables {@code [positions, headDim]} built in float32 as transformers does
 * (inverse frequencies 1/theta^(2j/d), divided by the linear factor; angle = position · f_j; the d/2
 * angles repeated twice), so the tables round like the reference's.
 */
public record RotaryTable(float[] inverseFrequencies, float[] cos, float[] sin, int positions, int headDim) {

    /** The tables for positions 0..positions−1 (transformers' cache positions: left pads are not skipped). */
    public static RotaryTable of(RopeSpec spec, int headDim, int positions) {
        int half = headDim / 2;
        float[] inverse = new float[half];
        for (int j = 0; j < half; j++) {
            float exponent = (float) (2 * j) / headDim;
            float power = (float) Math.pow(spec.theta(), exponent);
            inverse[j] = (1f / power) / (float) spec.linearFactor();
        }
        float[] cos = new float[positions * headDim];
        float[] sin = new float[positions * headDim];
        for (int p = 0; p < positions; p++) {
            for (int j = 0; j < half; j++) {
                float angle = (float) p * inverse[j];
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cos[p * headDim + j] = c;
                cos[p * headDim + half + j] = c;
                sin[p * headDim + j] = s;
                sin[p * headDim + half + j] = s;
            }
        }
        return new RotaryTable(inverse, cos, sin, positions, headDim);
    }

    /** The tables as tensors {@code [T, d]}, ready for {@link #rotate}. */
    Rotation tensors(NDManager manager) {
        Shape shape = new Shape(positions, headDim);
        return new Rotation(Tensors.create(manager, cos, shape), Tensors.create(manager, sin, shape));
    }

    /** A table's cos and sin on the engine. */
    record Rotation(NDArray cos, NDArray sin) {

        /** {@code z ↦ z·cos + rot(z)·sin} on {@code z [B, H, T, d]}, rot(z) = [−second half, first half]. */
        NDArray rotate(NDArray z) {
            long half = z.getShape().get(3) / 2;
            NDArray first = z.get(new NDIndex("..., :{}", half));
            NDArray second = z.get(new NDIndex("..., {}:", half));
            NDArray rotated = NDArrays.concat(new NDList(second.neg(), first), 3);
            return z.mul(cos).add(rotated.mul(sin));
        }
    }
}
