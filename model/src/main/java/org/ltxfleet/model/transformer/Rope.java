package org.ltxfleet.model.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.ltxfleet.model.nn.Tensors;

/**
 * A {@link RopeTable} as tensors {@code [tokens, heads, headDim/2]}, applied to queries and keys
 * {@code [batch, tokens, heads, headDim]} by rotating each head's pairs (j, j + d/2).
 */
public record Rope(NDArray cos, NDArray sin) {

    /** Uploads a table into {@code manager} (the step's, so it is freed with the step). */
    public static Rope of(RopeTable table, int tokens, NDManager manager) {
        Shape shape = new Shape(tokens, table.heads(), table.halfHeadDim());
        return new Rope(Tensors.create(manager, table.cos(), shape), Tensors.create(manager, table.sin(), shape));
    }

    /** Rotates {@code x [batch, tokens, heads, headDim]}. */
    public NDArray apply(NDArray x) {
        NDList halves = x.split(2, 3);
        NDArray a = halves.get(0);
        NDArray b = halves.get(1);
        NDArray first = a.mul(cos).sub(b.mul(sin));
        NDArray second = b.mul(cos).add(a.mul(sin));
        return first.concat(second, 3);
    }
}
