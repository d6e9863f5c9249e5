package org.ltxfleet.infra.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** What one phase of a benchmark offered and got, and the CPU and memory each thread group spent meanwhile. */
record BenchPhase(LatencyRecorder recorder, double elapsedSeconds, Map<String, Double> cpuSeconds,
                  Map<String, Long> allocatedBytes) {

    double perSecond() {
        return recorder.successes() / elapsedSeconds;
    }

    double p99Ms() {
        return recorder.percentileMs(0.99);
    }

    /**
     * CPU microseconds per accepted job over {@code phases}, by thread group (largest first, those
     * that round to 0 left out: another path's idle threads), after their total.
     */
    static Map<String, Long> cpuMicrosPerJob(List<BenchPhase> phases) {
        return perJob(phases, BenchPhase::cpuSeconds, 1e6, 0.5);
    }

    /** Kilobytes allocated per accepted job over {@code phases}, by thread group (largest first, under 1 KB left out). */
    static Map<String, Long> allocatedKbPerJob(List<BenchPhase> phases) {
        return perJob(phases, BenchPhase::allocatedBytes, 1 / 1024.0, 1);
    }

    /**
     * One figure of {@code phases} summed by thread group and divided by the jobs they accepted, in
     * {@code unit}s of the recorded value, the total first; groups under {@code atLeast} are left out.
     */
    private static Map<String, Long> perJob(List<BenchPhase> phases,
                                            Function<BenchPhase, Map<String, ? extends Number>> figure,
                                            double unit, double atLeast) {
        var totals = new TreeMap<String, Double>();
        phases.forEach(p -> figure.apply(p).forEach((group, v) -> totals.merge(group, v.doubleValue(), Double::sum)));
        double perJob = unit / jobs(phases);
        var result = new LinkedHashMap<String, Long>();
        result.put("total", Math.round(totals.values().stream().mapToDouble(Double::doubleValue).sum() * perJob));
        totals.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .filter(e -> e.getValue() * perJob >= atLeast)
                .forEach(e -> result.put(e.getKey(), Math.round(e.getValue() * perJob)));
        return result;
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
