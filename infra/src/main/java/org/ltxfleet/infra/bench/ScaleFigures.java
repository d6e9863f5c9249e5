package org.ltxfleet.infra.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.ToDoubleFunction;

/**
 * The result of {@link ScaleBench} from its rounds: per worker count k the median over the passes
 * of each figure, a ratio between counts taken within each pass first (a noisy neighbour spoils a
 * pass, not the result), and the goals of issue #26 point 9 at 2 workers. Pure arithmetic.
 */
final class ScaleFigures {

    /** Goal: the workers' CPU-seconds per job at 2 workers at most this many times those at 1. */
    static final double MOST_CPU_PER_JOB_2_OVER_1 = 1.1;
    /** Goal: jobs/s at 2 workers at least this share of the throughput the CPU left to them allows. */
    static final double LEAST_EFFICIENCY_OF_CPU_BOUND_2 = 0.85;

    private ScaleFigures() {
    }

    /**
     * The flat result: {@code byWorkers} maps k to its rounds, one per pass in pass order (k = 1
     * must be there); {@code cores} is the machine's.
     */
    static Map<String, Object> of(SortedMap<Integer, List<ScaleRound>> byWorkers, int cores, int jobs, int passes) {
        List<ScaleRound> single = byWorkers.get(1);
        var result = new LinkedHashMap<String, Object>();
        result.put("jobs", jobs);
        result.put("passes", passes);
        result.put("cores", cores);
        boolean splitEven = byWorkers.values().stream().flatMap(List::stream).allMatch(ScaleRound::splitEven);
        if (byWorkers.containsKey(2)) {
            List<ScaleRound> two = byWorkers.get(2);
            double ratio = round(median(withinPass(two, single, ScaleRound::workerCpuPerJobOver)), 1000);
            double ofBound = round(median(values(two, r -> r.efficiencyOfCpuBound(cores))), 1000);
            result.put("cpu_per_job_1", round(median(values(single, ScaleRound::workerCpuPerJob)), 1000));
            result.put("cpu_per_job_2", round(median(values(two, ScaleRound::workerCpuPerJob)), 1000));
            result.put("cpu_per_job_2_over_1", ratio);
            result.put("stack_cores_2", round(median(values(two, ScaleRound::stackCores)), 100));
            result.put("efficiency_2", round(median(withinPass(two, single, ScaleRound::efficiency)), 100));
            result.put("efficiency_of_cpu_bound_2", ofBound);
            result.put("split_even", splitEven);
            result.put("goal_cpu_per_job", ratio <= MOST_CPU_PER_JOB_2_OVER_1);
            result.put("goal_efficiency_of_cpu_bound", ofBound >= LEAST_EFFICIENCY_OF_CPU_BOUND_2);
        } else {
            result.put("split_even", splitEven);
        }
        byWorkers.forEach((k, rounds) -> {
            var efficiencies = withinPass(rounds, single, ScaleRound::efficiency);
            var ofBound = values(rounds, r -> r.efficiencyOfCpuBound(cores));
            result.put("jobs_per_s_" + k, round(median(values(rounds, ScaleRound::jobsPerSecond)), 1000));
            result.put("efficiency_" + k, round(median(efficiencies), 100));
            result.put("efficiency_by_pass_" + k, efficiencies.stream().map(e -> round(e, 100)).toList());
            result.put("cpu_per_job_" + k, round(median(values(rounds, ScaleRound::workerCpuPerJob)), 1000));
            result.put("cpu_per_job_by_pass_" + k,
                    values(rounds, ScaleRound::workerCpuPerJob).stream().map(v -> round(v, 1000)).toList());
            // By thread group of the workers (ProcessThreads); a job's clip threads end with it, so their
            // CPU is in ended_threads.
            for (String group : List.of("ended_threads", "stage", "jit", "vm_gc", "kafka", "other")) {
                result.put("worker_" + group + "_cpu_per_job_" + k, round(median(values(rounds,
                        r -> r.workerCpuByGroup().getOrDefault(group, 0.0) / r.jobs())), 1000));
            }
            result.put("stack_cpu_per_job_" + k, round(median(values(rounds, ScaleRound::stackCpuPerJob)), 1000));
            result.put("stack_cores_" + k, round(median(values(rounds, ScaleRound::stackCores)), 100));
            result.put("worker_cores_" + k, round(median(values(rounds, ScaleRound::workerCores)), 100));
            result.put("worker_wait_cores_" + k, round(median(values(rounds, ScaleRound::workerWaitCores)), 100));
            double others = median(values(rounds, ScaleRound::otherCores));
            if (!Double.isNaN(others)) {
                result.put("other_cores_" + k, round(others, 100));
            }
            result.put("cores_left_" + k, round(median(values(rounds, r -> r.coresLeftToWorkers(cores))), 100));
            result.put("throughput_bound_" + k, round(median(values(rounds, r -> r.throughputBound(cores))), 1000));
            result.put("efficiency_of_cpu_bound_" + k, round(median(ofBound), 1000));
            result.put("efficiency_of_cpu_bound_by_pass_" + k, ofBound.stream().map(e -> round(e, 1000)).toList());
            result.put("jobs_per_worker_" + k, rounds.stream().map(ScaleRound::split).toList());
            result.put("partition_bound_" + k, round(median(values(rounds, ScaleRound::partitionBound)), 100));
        });
        return result;
    }

    /** {@code figure} of each round of {@code rounds} against the round of one worker of the same pass. */
    static List<Double> withinPass(List<ScaleRound> rounds, List<ScaleRound> single,
                                   java.util.function.BiFunction<ScaleRound, ScaleRound, Double> figure) {
        var values = new ArrayList<Double>();
        for (int i = 0; i < rounds.size(); i++) {
            values.add(figure.apply(rounds.get(i), single.get(i)));
        }
        return values;
    }

    private static List<Double> values(List<ScaleRound> rounds, ToDoubleFunction<ScaleRound> figure) {
        return rounds.stream().map(r -> figure.applyAsDouble(r)).toList();
    }

    static double median(List<Double> values) {
        var sorted = values.stream().sorted().toList();
        int n = sorted.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double round(double value, int scale) {
        return Double.isNaN(value) ? value : (double) Math.round(value * scale) / scale;
    }
}
