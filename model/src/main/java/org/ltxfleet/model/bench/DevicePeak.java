package org.ltxfleet.model.bench;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The most GPU memory in use while it runs, polled through the CUDA driver (DJL exposes no
 * allocator statistics): the device's used bytes, every process's, as {@code nvidia-smi} shows them.
 * Polling every millisecond can miss a peak shorter than that; a step's peak (a block's backward
 * pass) lasts far longer.
 */
final class DevicePeak implements AutoCloseable {

    private final Device device;
    private final AtomicLong peak = new AtomicLong();
    private volatile boolean running = true;
    private final Thread poller;

    private DevicePeak(Device device) {
        this.device = device;
        this.poller = Thread.ofPlatform().daemon().name("gpu-memory-poll").start(this::poll);
    }

    /** Starts polling {@code device}'s memory. */
    static DevicePeak start(Device device) {
        return new DevicePeak(device);
    }

    /** Bytes in use on the device now, or -1 where the CUDA runtime cannot be asked (no libcudart found). */
    static long usedBytes(Device device) {
        try {
            return CudaUtils.getGpuMemory(device).getUsed();
        } catch (RuntimeException | LinkageError e) {
            return -1;
        }
    }

    private void poll() {
        while (running) {
            peak.accumulateAndGet(usedBytes(device), Math::max);
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The largest use seen so far. */
    long peakBytes() {
        return peak.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        poller.join();
    }
}
