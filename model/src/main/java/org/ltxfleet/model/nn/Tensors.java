package org.ltxfleet.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;

/**
 * Tensors from Java values, in memory the engine allocated on the manager's device. DJL's
 * {@code create(float[])} wraps a Java direct buffer that lives only as long as its Java wrapper;
 * autograd or a view can outlive the wrapper and would then read memory the GC has freed (the same
 * trap as {@code mul(Number)}, see {@link Functional}). A copy into engine memory is owned by the
 * tensor itself.
 *
 * <p>Values go host → device only through {@code manager.create(buffer, …)}, which copies to a GPU
 * in native code. Never write through {@code toByteBuffer(true)} of an existing tensor: on a CUDA
 * tensor that call returns a host copy, so the writes never reach the device.
 */
public final class Tensors {

    private Tensors() {
    }

    public static NDArray create(NDManager manager, float[] values, Shape shape) {
        try (NDArray wrapped = manager.create(values, shape)) {
            return wrapped.duplicate();
        }
    }

    /**
     * A tensor of {@code shape} and {@code type} on the manager's device from the bytes of
     * {@code host} (a direct buffer in native order, position 0, exactly the tensor's size). The
     * buffer may be reused at once: on a CPU the wrapped buffer is copied into engine memory, on a GPU
     * the native side already copied it.
     */
    public static NDArray fromHost(NDManager manager, ByteBuffer host, Shape shape, DataType type) {
        NDArray wrapped = manager.create(host, shape, type);
        if (wrapped.getDevice().isGpu()) {
            return wrapped;
        }
        try (wrapped) {
            return wrapped.duplicate();
        }
    }

    /**
     * Takes {@code array} out of the innermost {@link NDScope}, so that it outlives the scope (a
     * parameter, an optimizer moment, a block's output); it stays in its manager.
     */
    public static NDArray keep(NDArray array) {
        NDScope.unregister(array);
        return array;
    }
}
