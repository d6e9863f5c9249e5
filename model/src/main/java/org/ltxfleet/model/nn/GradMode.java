package org.ltxfleet.model.nn;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's grad mode for the calling thread, restored on close. Grad mode is per thread: DJL turns
 * it off only on the thread that started the engine, so on any other thread (a worker's job thread,
 * a preprocess pool thread) every op on a tensor that requires a gradient records a graph that holds
 * its inputs. Inference says {@code try (var off = GradMode.off())}; training says
 * {@code GradMode.on()} instead of DJL's {@code GradientCollector}, which allows one collector per
 * JVM.
 */
public final class GradMode implements AutoCloseable {

    private final boolean previous;

    private GradMode(boolean enabled) {
        this.previous = JniUtils.isGradMode();
        JniUtils.setGradMode(enabled);
    }

    /** Records graphs on this thread until closed. */
    public static GradMode on() {
        return new GradMode(true);
    }

    /** Records nothing on this thread until closed. */
    public static GradMode off() {
        return new GradMode(false);
    }

    /**
     * Whether autograd tracks {@code x}: a leaf that requires a gradient, or an op result with a graph.
     * DJL's {@code hasGradient()} answers only for leaves (it asks {@code requires_grad && is_leaf}),
     * so an op result is probed: PyTorch refuses to clear the flag of a non-leaf, and every tensor
     * without a graph is a leaf, for which clearing an unset flag changes nothing.
     */
    public static boolean tracked(NDArray x) {
        if (x.hasGradient()) {
            return true;
        }
        try {
            JniUtils.attachGradient((PtNDArray) x, false);
            return false;
        } catch (EngineException nonLeaf) {
            return true;
        }
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
