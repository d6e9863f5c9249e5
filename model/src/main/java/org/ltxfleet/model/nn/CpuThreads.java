package org.ltxfleet.model.nn;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's intra-op threads on a CPU. Runs with the same thread count repeat bit for bit (the
 * kernels split their work by the count); different counts round differently. GPUs are left alone.
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
}
