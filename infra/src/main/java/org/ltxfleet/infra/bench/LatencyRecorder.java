package org.ltxfleet.infra.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/** Collects per-request latencies (ns) and outcomes from many threads; summarises them once at the end. */
final class LatencyRecorder {

    private final AtomicLongArray latencies;
    private final AtomicInteger count = new AtomicInteger();
    private final Map<String, AtomicInteger> failureReasons = new ConcurrentHashMap<>();

    LatencyRecorder(int capacity) {
        this.latencies = new AtomicLongArray(capacity);
    }

    void success(long nanos) {
        int i = count.getAndIncrement();
        if (i < latencies.length()) {
            latencies.set(i, nanos);
        }
    }

    /** A failed request, counted under its reason (a status code, an exception's class). */
    void failure(String reason) {
        failureReasons.computeIfAbsent(reason, r -> new AtomicInteger()).incrementAndGet();
    }

    /** Every success, also those past the recorder's capacity. */
    int successes() {
        return count.get();
    }

    /** How many failures each reason had, so a benchmark that measured nothing says why. */
    Map<String, Integer> failureReasons() {
        var counts = new TreeMap<String, Integer>();
        failureReasons.forEach((reason, n) -> counts.put(reason, n.get()));
        return counts;
    }

    /** The latency at quantile q (0..1) in milliseconds. */
    double percentileMs(double q) {
        // Past capacity only the first latencies are kept: a sample, still from the whole start.
        int n = Math.min(successes(), latencies.length());
        if (n == 0) {
            return Double.NaN;
        }
        long[] sorted = new long[n];
        for (int i = 0; i < n; i++) {
            sorted[i] = latencies.get(i);
        }
        Arrays.sort(sorted);
        return sorted[Math.min(n - 1, (int) Math.ceil(q * n) - 1)] / 1e6;
    }
}
