package org.ltxfleet.infra.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What one phase of a benchmark offered and got, and the CPU and memory each thread group spent meanwhile. */
record BenchPhase(LatencyRecorder recorder, double elapsedSeconds, Map<String, Double> cpuSeconds,
                  Map<String, Long> allocatedBytes) {

    double perSecond() {
        return recorder.successes() / elapsedSeconds;
    }

    double p99Ms() {
        return recorder.percentileMs(0.99);
    }

    /** CPU microseconds per accepted job over {@code phases}, by thread group (largest first), after their total. */
    static Map<String, Long> cpuMicrosPerJob(List<BenchPhase> phases) {
        var seconds = new TreeMap<String, Double>();
        phases.forEach(p -> p.cpuSeconds.forEach((group, s) -> seconds.merge(group, s, Double::sum)));
        double jobs = jobs(phases);
        var perJob = new LinkedHashMap<String, Long>();
        perJob.put("total", Math.round(seconds.values().stream().mapToDouble(Double::doubleValue).sum() * 1e6 / jobs));
        seconds.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> perJob.put(e.getKey(), Math.round(e.getValue() * 1e6 / jobs)));
        return perJob;
    }

    /** Kilobytes allocated per accepted job over {@code phases}, by thread group (largest first, under 1 KB left out). */
    static Map<String, Long> allocatedKbPerJob(List<BenchPhase> phases) {
        var bytes = new TreeMap<String, Long>();
        phases.forEach(p -> p.allocatedBytes.forEach((group, b) -> bytes.merge(group, b, Long::sum)));
        double jobs = jobs(phases);
        var perJob = new LinkedHashMap<String, Long>();
        perJob.put("total", Math.round(bytes.values().stream().mapToLong(Long::longValue).sum() / 1024.0 / jobs));
        bytes.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .filter(e -> e.getValue() / 1024.0 / jobs >= 1)
                .forEach(e -> perJob.put(e.getKey(), Math.round(e.getValue() / 1024.0 / jobs)));
        return perJob;
    }

    /** Failures over {@code phases} by reason. */
    static Map<String, Integer> failureReasons(List<BenchPhase> phases) {
        var counts = new TreeMap<String, Integer>();
        phases.forEach(p -> p.recorder.failureReasons().forEach((reason, n) -> counts.merge(reason, n, Integer::sum)));
        return counts;
    }

    private static double jobs(List<BenchPhase> phases) {
        return Math.max(1, phases.stream().mapToLong(p -> p.recorder.successes()).sum());
    }
}
