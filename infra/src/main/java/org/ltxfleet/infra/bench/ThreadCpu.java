package org.ltxfleet.infra.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The CPU time this process spent between two readings, split by groups of threads (the embedded
 * stack runs broker, gateway and benchmark client in one JVM, so "where did the time go" is a
 * question of threads). What no live Java thread accounts for — the collector, the JIT, threads
 * that ended in between — is reported as {@value #VM_AND_ENDED}.
 */
final class ThreadCpu {

    static final String VM_AND_ENDED = "vm_gc_jit_and_ended_threads";

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /**
     * Per-thread CPU nanoseconds, bytes allocated and names, and the whole process's CPU
     * nanoseconds, at one moment.
     */
    record Reading(Map<Long, Long> cpuByThread, Map<Long, Long> allocatedByThread, Map<Long, String> names,
                   long processCpu) {
    }

    static Reading read() {
        var cpu = new HashMap<Long, Long>();
        var allocated = new HashMap<Long, Long>();
        var names = new HashMap<Long, String>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long nanos = THREADS.getThreadCpuTime(info.getThreadId());
            if (nanos >= 0) {
                cpu.put(info.getThreadId(), nanos);
                allocated.put(info.getThreadId(), THREADS.getThreadAllocatedBytes(info.getThreadId()));
                names.put(info.getThreadId(), info.getThreadName());
            }
        }
        return new Reading(cpu, allocated, names, OS.getProcessCpuTime());
    }

    /**
     * Seconds of CPU per group between {@code before} and {@code after}; {@code group} names a
     * thread's group from its id and name. Threads born in between count from zero.
     */
    static Map<String, Double> between(Reading before, Reading after, Function<Map.Entry<Long, String>, String> group) {
        var seconds = new TreeMap<String, Double>();
        long threadsTotal = 0;
        for (var thread : after.names().entrySet()) {
            long spent = after.cpuByThread().get(thread.getKey()) - before.cpuByThread().getOrDefault(thread.getKey(), 0L);
            threadsTotal += spent;
            seconds.merge(group.apply(thread), spent / 1e9, Double::sum);
        }
        seconds.put(VM_AND_ENDED, Math.max(0, after.processCpu() - before.processCpu() - threadsTotal) / 1e9);
        return seconds;
    }

    /** Bytes allocated per group between {@code before} and {@code after} by threads alive at both. */
    static Map<String, Long> allocatedBetween(Reading before, Reading after,
                                              Function<Map.Entry<Long, String>, String> group) {
        var bytes = new TreeMap<String, Long>();
        for (var thread : after.names().entrySet()) {
            long allocated = after.allocatedByThread().get(thread.getKey())
                    - before.allocatedByThread().getOrDefault(thread.getKey(), 0L);
            bytes.merge(group.apply(thread), allocated, Long::sum);
        }
        return bytes;
    }
}
