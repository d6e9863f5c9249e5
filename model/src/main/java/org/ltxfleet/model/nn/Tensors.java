package org.ltxfleet.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Tensors from Java values, in memory the engine allocated. DJL's {@code create(float[])} wraps a
 * Java direct buffer that lives only as long as its Java wrapper; autograd or a view can outlive
 * the wrapper and would then read memory the GC has freed (the same trap as {@code mul(Number)},
 * see {@link Functional}). A copy into engine memory is owned by the tensor itself.
 */
public final class Tensors {

    private Tensors() {
    }

    public static NDArray create(NDManager manager, float[] values, Shape shape) {
        try (NDArray wrapped = manager.create(values, shape)) {
            return wrapped.duplicate();
        }
    }
}
