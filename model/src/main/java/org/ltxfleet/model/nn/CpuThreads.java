package org.ltxfleet.model.nn;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's intra-op threads on a CPU. With two threads, PyTorch 2.7.1 (DJL 0.35) gave different
 * weights from the same seeded run in different processes, and now and then a NaN gradient (4 of
 * 9 pre-training runs of 400 steps); with one thread every run repeated bit for bit, at about half
 * the speed. So work that must repeat exactly (the tiny base weights) runs on one thread, and
 * training jobs use all cores and skip a step whose gradient is not finite. GPUs are left alone.
 */
public final class CpuThreads {

    private CpuThreads() {
    }

    /**
     * Caps PyTorch's intra-op threads for this process (CPU only). PyTorch counts the host's cores,
     * not the container's share, and threads that outnumber the cores spin against each other: two
     * training processes on two cores ran 8 times slower each. Workers call this at start with
     * {@code model.cpu.threads} (default: the processors the JVM may use, which follows cgroup limits).
     */
    public static void limit(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("model.cpu.threads must be at least 1, got " + threads);
        }
        if (Engine.getInstance().getGpuCount() == 0) {
            JniUtils.setNumThreads(threads);
        }
    }

    /** Runs {@code work} on one intra-op thread when the engine has no GPU, then restores the count. */
    public static <T, E extends Exception> T singleThreaded(ThrowingSupplier<T, E> work) throws E {
        if (Engine.getInstance().getGpuCount() > 0) {
            return work.get();
        }
        int before = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        try {
            return work.get();
        } finally {
            JniUtils.setNumThreads(before);
        }
    }

    /** A supplier that may throw. */
    @FunctionalInterface
    public interface ThrowingSupplier<T, E extends Exception> {
        T get() throws E;
    }
}
