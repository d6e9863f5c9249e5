package org.ltxfleet.infra.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where another process's CPU went, thread by thread, as Linux's {@code /proc/<pid>/task/<tid>/}
 * tells it ({@code comm}, and {@code schedstat}: nanoseconds on a CPU, nanoseconds runnable but
 * waiting for one). A worker process's fixed costs (its JIT compiling, its collector) and the time
 * its threads waited for a core that other processes had show up here, which its total CPU time
 * alone does not tell. Empty readings where there is no {@code /proc} (or no schedstat).
 */
final class ProcessThreads {

    /** Per thread id of the processes read: its group, CPU and run-queue nanoseconds at one moment. */
    record Reading(Map<Long, String> groups, Map<Long, Long> cpuNanos, Map<Long, Long> waitNanos) {
    }

    static final String ENDED = "ended_threads";

    private ProcessThreads() {
    }

    static Reading read(List<Long> pids) {
        var groups = new HashMap<Long, String>();
        var cpu = new HashMap<Long, Long>();
        var wait = new HashMap<Long, Long>();
        for (long pid : pids) {
            Path tasks = Path.of("/proc", Long.toString(pid), "task");
            try (var stream = Files.list(tasks)) {
                for (Path task : stream.toList()) {
                    try {
                        long tid = Long.parseLong(task.getFileName().toString());
                        String[] stat = Files.readString(task.resolve("schedstat")).trim().split("\\s+");
                        String name = Files.readString(task.resolve("comm")).trim();
                        groups.put(tid, group(name));
                        cpu.put(tid, Long.parseLong(stat[0]));
                        wait.put(tid, Long.parseLong(stat[1]));
                    } catch (IOException | RuntimeException e) {
                        // the thread ended while being read
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no /proc here, or the process ended
            }
        }
        return new Reading(groups, cpu, wait);
    }

    /**
     * CPU-seconds per thread group between two readings (threads born in between from zero), and as
     * {@value #ENDED} what {@code totalCpuSeconds} of the processes leaves: the threads that ended in
     * between (a preprocess worker's clip pool ends with each job).
     */
    static Map<String, Double> cpuBetween(Reading before, Reading after, double totalCpuSeconds) {
        var seconds = between(before.cpuNanos(), after.cpuNanos(), after.groups());
        if (after.cpuNanos().isEmpty()) {
            return seconds;
        }
        double live = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
        seconds.put(ENDED, Math.max(0, totalCpuSeconds - live));
        return seconds;
    }

    /** Seconds the threads spent runnable but waiting for a core between two readings, per group. */
    static Map<String, Double> waitBetween(Reading before, Reading after) {
        return between(before.waitNanos(), after.waitNanos(), after.groups());
    }

    private static Map<String, Double> between(Map<Long, Long> before, Map<Long, Long> after, Map<Long, String> groups) {
        var seconds = new TreeMap<String, Double>();
        after.forEach((tid, nanos) -> seconds.merge(groups.get(tid),
                (nanos - before.getOrDefault(tid, 0L)) / 1e9, Double::sum));
        return seconds;
    }

    /**
     * A worker JVM's thread group by its (15-character) name: the JIT's compiler threads, the VM's
     * own (the serial collector runs in the VM thread), Kafka's clients, a job's clip
     * threads (decoding and encoding; a pool per job), the stage's own (its poll and job threads), the rest.
     */
    static String group(String name) {
        if (name.contains("Compiler")) {
            return "jit";
        }
        if (name.startsWith("VM ") || name.startsWith("GC ") || name.startsWith("G1 ") || name.startsWith("Z")
                || name.startsWith("Monitor Deflati") || name.startsWith("Service Thread")) {
            return "vm_gc";
        }
        if (name.startsWith("kafka-")) {
            return "kafka";
        }
        if (name.startsWith("preprocess-clip")) {
            return "clips";
        }
        if (name.startsWith("preprocess-")) {
            return "stage";
        }
        return "other";
    }
}
