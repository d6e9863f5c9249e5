package org.ltxfleet.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Tensors from Java values, in memory the engine allocated. DJL's {@code create(float[])} wraps a
 * Java direct buffer whose address alignment varies from run to run, and the CPU BLAS picks
 * alignment-dependent kernels, so the same seeded training gave different weights in different
 * processes. A copy into engine-allocated (64-byte aligned) memory makes runs repeat bit for bit.
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
