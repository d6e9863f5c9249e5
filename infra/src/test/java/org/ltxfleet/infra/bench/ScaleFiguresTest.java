package org.ltxfleet.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The arithmetic of {@code ./fleet bench scale} on made-up rounds (issue #26 point 9). */
class ScaleFiguresTest {

    private static final int CORES = 2;

    /** 24 jobs in {@code seconds}; CPU windows as long as the rounds; no other process on the machine. */
    private static ScaleRound round(int workers, double seconds, Map<String, Integer> split, double workerCpu,
                                    double stackCpu) {
        return new ScaleRound(workers, 24, seconds, seconds, split, workerCpu, stackCpu, workerCpu + stackCpu);
    }

    @Test
    void theBoundIsTheCpuLeftToTheWorkersOverTheirCpuPerJob() {
        // 2 workers, 24 jobs in 20 s, 36 CPU-s of workers (1.5 s/job), 8 CPU-s of stack (0.4 cores).
        var r = round(2, 20, Map.of("a", 12, "b", 12), 36, 8);
        assertThat(r.workerCpuPerJob()).isEqualTo(1.5);
        assertThat(r.stackCpuPerJob()).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(r.stackCores()).isCloseTo(0.4, within(1e-9));
        assertThat(r.workerCores()).isCloseTo(1.8, within(1e-9));
        assertThat(r.otherCores()).isCloseTo(0, within(1e-9));
        assertThat(r.coresLeftToWorkers(CORES)).isCloseTo(1.6, within(1e-9));
        // 1.6 cores / 1.5 s per job: at most 1.0667 jobs/s. Measured: 1.2, which is the workers' cores over
        // those left to them (a round can pass 1 when the stack's share was lower while the workers ran).
        assertThat(r.throughputBound(CORES)).isCloseTo(1.6 / 1.5, within(1e-9));
        assertThat(r.efficiencyOfCpuBound(CORES)).isCloseTo(1.8 / 1.6, within(1e-9));
    }

    @Test
    void theCoresLeftAreAtMostOnePerWorker() {
        // One worker on a 2-core machine whose stack used 0.5 cores: the worker can use 1 core, not 1.5.
        var r = round(1, 30, Map.of("a", 24), 24, 15);
        assertThat(r.coresLeftToWorkers(CORES)).isEqualTo(1.0);
        assertThat(r.throughputBound(CORES)).isEqualTo(1.0);
        assertThat(r.efficiencyOfCpuBound(CORES)).isCloseTo(0.8, within(1e-9));
        // A stack that took every core leaves nothing, never less.
        assertThat(round(2, 10, Map.of("a", 12, "b", 12), 1, 25).coresLeftToWorkers(CORES)).isZero();
    }

    @Test
    void otherProcessesAreWhatTheMachineSpentBesideStackAndWorkers() {
        var r = new ScaleRound(2, 24, 20, 20, Map.of("a", 12, "b", 12), 30, 8, 46);
        assertThat(r.otherCores()).isCloseTo(0.4, within(1e-9));
        assertThat(new ScaleRound(2, 24, 20, 20, Map.of(), 30, 8, Double.NaN).otherCores()).isNaN();
    }

    @Test
    void aSplitIsEvenWhenEveryWorkerHasTheShareToLessThanOneJob() {
        assertThat(round(2, 20, Map.of("a", 12, "b", 12), 36, 8).splitEven()).isTrue();
        assertThat(round(2, 20, Map.of("a", 11, "b", 13), 36, 8).splitEven()).isFalse();
        assertThat(new ScaleRound(2, 25, 20, 20, Map.of("a", 13, "b", 12), 36, 8, 44).splitEven()).isTrue();
        // A worker that started nothing is in the split as 0.
        var idle = round(2, 20, Map.of("a", 24), 36, 8);
        assertThat(idle.split()).containsExactly(24, 0);
        assertThat(idle.splitEven()).isFalse();
        assertThat(idle.partitionBound()).isEqualTo(0.5);
        assertThat(round(2, 20, Map.of("a", 8, "b", 16), 36, 8).partitionBound()).isCloseTo(0.75, within(1e-9));
        assertThat(round(1, 20, Map.of("a", 24), 36, 8).splitEven()).isTrue();
    }

    @Test
    void ratiosAreTakenWithinAPassAndTheResultIsTheirMedian() {
        var byWorkers = new TreeMap<Integer, List<ScaleRound>>();
        byWorkers.put(1, List.of(
                round(1, 24, Map.of("a", 24), 24, 6),      // 1.0 job/s, 1.0 CPU-s/job
                round(1, 48, Map.of("a", 24), 48, 12),     // a slow pass: 0.5 job/s, 2.0 CPU-s/job
                round(1, 24, Map.of("a", 24), 24, 6)));
        byWorkers.put(2, List.of(
                round(2, 16, Map.of("a", 12, "b", 12), 25.2, 6.4),   // 1.5 jobs/s, 1.05 CPU-s/job
                round(2, 32, Map.of("a", 12, "b", 12), 50.4, 12.8),  // 0.75 jobs/s, 2.1 CPU-s/job
                round(2, 20, Map.of("a", 11, "b", 13), 28.8, 8)));   // 1.2 jobs/s, 1.2 CPU-s/job, uneven
        Map<String, Object> result = ScaleFigures.of(byWorkers, CORES, 24, 3);

        assertThat(result).containsEntry("jobs", 24).containsEntry("passes", 3).containsEntry("cores", CORES);
        assertThat(result).containsEntry("cpu_per_job_1", 1.0).containsEntry("cpu_per_job_2", 1.2);
        // Within each pass 1.05, 1.05 and 1.2: the median is 1.05, though the medians' ratio would be 1.2.
        assertThat(result).containsEntry("cpu_per_job_2_over_1", 1.05).containsEntry("goal_cpu_per_job", true);
        assertThat(result.get("efficiency_by_pass_2")).isEqualTo(List.of(0.75, 0.75, 0.6));
        assertThat(result).containsEntry("efficiency_2", 0.75);
        // The stack took 0.4 cores in every round at 2, which leaves 1.6; pass 1: bound 1.6 / 1.05 = 1.524 jobs/s,
        // measured 1.5 (the workers used 1.575 of the 1.6 cores); pass 3: 1.2 of 1.333.
        assertThat(result).containsEntry("stack_cores_2", 0.4).containsEntry("cores_left_2", 1.6);
        assertThat(result).containsEntry("throughput_bound_2", 1.333);
        assertThat(result.get("efficiency_of_cpu_bound_by_pass_2")).isEqualTo(List.of(0.984, 0.984, 0.9));
        assertThat(result).containsEntry("efficiency_of_cpu_bound_2", 0.984)
                .containsEntry("goal_efficiency_of_cpu_bound", true);
        assertThat(result).containsEntry("split_even", false);
        assertThat(result.get("jobs_per_worker_2")).isEqualTo(List.of(List.of(12, 12), List.of(12, 12), List.of(13, 11)));
    }

    @Test
    void theGoalsFailPastTheirLimits() {
        var byWorkers = new TreeMap<Integer, List<ScaleRound>>();
        byWorkers.put(1, List.of(round(1, 24, Map.of("a", 24), 24, 6)));
        // 1.15 CPU-s/job, and only 1.2 of the 1.6 cores left used.
        byWorkers.put(2, List.of(round(2, 23, Map.of("a", 12, "b", 12), 27.6, 9.2)));
        Map<String, Object> result = ScaleFigures.of(byWorkers, CORES, 24, 1);
        assertThat(result).containsEntry("cpu_per_job_2_over_1", 1.15).containsEntry("goal_cpu_per_job", false);
        assertThat(result).containsEntry("efficiency_of_cpu_bound_2", 0.75)
                .containsEntry("goal_efficiency_of_cpu_bound", false);
        assertThat(result).containsEntry("split_even", true);
    }

    @Test
    void workerThreadsAreGroupedAndWhatEndedIsTheRest() {
        assertThat(ProcessThreads.group("C2 CompilerThre")).isEqualTo("jit");
        assertThat(ProcessThreads.group("VM Thread")).isEqualTo("vm_gc");
        assertThat(ProcessThreads.group("kafka-producer-")).isEqualTo("kafka");
        assertThat(ProcessThreads.group("preprocess-clip")).isEqualTo("clips");
        assertThat(ProcessThreads.group("preprocess-scal")).isEqualTo("stage");
        var before = new ProcessThreads.Reading(Map.of(1L, "jit", 2L, "stage"), Map.of(1L, 1_000_000_000L, 2L, 0L),
                Map.of(1L, 0L, 2L, 0L));
        // Thread 3 was born in between; a thread that ended in between is in the processes' total only.
        var after = new ProcessThreads.Reading(Map.of(1L, "jit", 2L, "stage", 3L, "clips"),
                Map.of(1L, 1_500_000_000L, 2L, 2_000_000_000L, 3L, 250_000_000L),
                Map.of(1L, 100_000_000L, 2L, 400_000_000L, 3L, 0L));
        assertThat(ProcessThreads.cpuBetween(before, after, 4.0)).containsEntry("jit", 0.5).containsEntry("stage", 2.0)
                .containsEntry("clips", 0.25).containsEntry(ProcessThreads.ENDED, 1.25);
        assertThat(ProcessThreads.waitBetween(before, after)).containsEntry("jit", 0.1).containsEntry("stage", 0.4);
    }
}
