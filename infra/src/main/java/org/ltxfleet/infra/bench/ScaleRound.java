package org.ltxfleet.infra.bench;

import java.util.List;
import java.util.Map;

/**
 * What one measured round of {@link ScaleBench} saw, and the figures that follow from it (pure
 * arithmetic, no clock or process in here, so that it can be checked on made-up rounds).
 *
 * @param workers            worker processes in the round (k)
 * @param jobs               jobs submitted in the round
 * @param seconds            from the first submit to the last job's ready message: what jobs/s is taken over
 * @param cpuWindowSeconds   the wall time the CPU readings span (round start to the bench seeing the last
 *                           ready message; a little longer than {@code seconds})
 * @param jobsPerWorker      jobs each worker started, by worker name (a worker that started none is absent)
 * @param workerCpuSeconds   CPU time (user + system, all threads: decoding, model, JIT, collector) of the
 *                           k worker processes together over the window
 * @param stackCpuSeconds    CPU time of the bench's JVM over the window: broker, store, gateway and the
 *                           bench's own client, with their JIT and collector
 * @param machineCpuSeconds  CPU time of the whole machine over the window ({@code NaN} when unknown)
 * @param workerCpuByGroup   the workers' CPU-seconds by thread group ({@link ProcessThreads#group}: jit, vm_gc,
 *                           kafka, clips, stage, other; ended_threads for those that ended in the window); empty
 *                           when unknown
 * @param workerWaitSeconds  seconds the workers' threads were runnable but waited for a core, together
 */
record ScaleRound(int workers, int jobs, double seconds, double cpuWindowSeconds, Map<String, Integer> jobsPerWorker,
                  double workerCpuSeconds, double stackCpuSeconds, double machineCpuSeconds,
                  Map<String, Double> workerCpuByGroup, double workerWaitSeconds) {

    /** A round without the workers' per-thread figures. */
    ScaleRound(int workers, int jobs, double seconds, double cpuWindowSeconds, Map<String, Integer> jobsPerWorker,
               double workerCpuSeconds, double stackCpuSeconds, double machineCpuSeconds) {
        this(workers, jobs, seconds, cpuWindowSeconds, jobsPerWorker, workerCpuSeconds, stackCpuSeconds,
                machineCpuSeconds, Map.of(), 0);
    }

    double jobsPerSecond() {
        return jobs / seconds;
    }

    /** CPU-seconds the worker processes spent per job of the round. */
    double workerCpuPerJob() {
        return workerCpuSeconds / jobs;
    }

    /** CPU-seconds the stack's JVM spent per job of the round. */
    double stackCpuPerJob() {
        return stackCpuSeconds / jobs;
    }

    /** The workers' CPU-seconds per job by thread group, largest first. */
    Map<String, Double> workerCpuPerJobByGroup() {
        var perJob = new java.util.LinkedHashMap<String, Double>();
        workerCpuByGroup.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> perJob.put(e.getKey(), e.getValue() / jobs));
        return perJob;
    }

    /** The share of the workers' CPU that their JIT compilers took: what a longer warm-up would remove. */
    double workerJitShare() {
        return workerCpuByGroup.getOrDefault("jit", 0.0) / workerCpuSeconds;
    }

    /** Cores' worth of time the workers' threads spent runnable but waiting for a core (others had them). */
    double workerWaitCores() {
        return workerWaitSeconds / cpuWindowSeconds;
    }

    /** Cores the stack's JVM used on average over the round. */
    double stackCores() {
        return stackCpuSeconds / cpuWindowSeconds;
    }

    /** Cores the worker processes used on average over the round. */
    double workerCores() {
        return workerCpuSeconds / cpuWindowSeconds;
    }

    /**
     * Cores other processes on the machine (anything neither the stack nor the workers: a build beside
     * the bench) used on average over the round; {@code NaN} when the machine's CPU is unknown.
     */
    double otherCores() {
        return Math.max(0, machineCpuSeconds - workerCpuSeconds - stackCpuSeconds) / cpuWindowSeconds;
    }

    /** The cores the workers could have had: min(k, cores − stack cores). */
    double coresLeftToWorkers(int cores) {
        return Math.max(0, Math.min(workers, cores - stackCores()));
    }

    /**
     * The most jobs/s the workers could have done with the CPU left to them, at the CPU per job they
     * showed: min(k, cores − stack cores) / worker CPU-seconds per job.
     */
    double throughputBound(int cores) {
        return coresLeftToWorkers(cores) / workerCpuPerJob();
    }

    /**
     * Measured jobs/s over {@link #throughputBound}: 1.0 when the workers kept all the CPU the stack
     * left them busy for the whole round. It equals the worker cores used over the cores left to them
     * (up to the small difference between {@code seconds} and {@code cpuWindowSeconds}), so what lowers
     * it is time the CPU left to the workers went unused or went elsewhere: an uneven split, a worker
     * idle at the end of the round, waits on the broker or the store, other processes on the machine.
     */
    double efficiencyOfCpuBound(int cores) {
        return jobsPerSecond() / throughputBound(cores);
    }

    /** The plain scaling efficiency against {@code single}, a round of one worker: jobs/s ÷ (k × jobs/s at 1). */
    double efficiency(ScaleRound single) {
        return jobsPerSecond() / (workers * single.jobsPerSecond());
    }

    /** The workers' CPU-seconds per job over those of {@code single}, a round of one worker. */
    double workerCpuPerJobOver(ScaleRound single) {
        return workerCpuPerJob() / single.workerCpuPerJob();
    }

    /** Jobs each of the k workers started, those that started none as 0, largest first. */
    List<Integer> split() {
        var counts = new java.util.ArrayList<>(jobsPerWorker.values());
        while (counts.size() < workers) {
            counts.add(0);
        }
        counts.sort(java.util.Comparator.reverseOrder());
        return counts;
    }

    /**
     * Whether every worker started the even share of the round's jobs (jobs/k) to less than one job:
     * as even as whole jobs allow (12/12 of 24, 13/12 of 25).
     */
    boolean splitEven() {
        double share = (double) jobs / workers;
        return split().size() == workers && split().stream().allMatch(n -> Math.abs(n - share) < 1);
    }

    /** The most the split allowed, the jobs over k × the busiest worker's: 1 when even. */
    double partitionBound() {
        int busiest = split().getFirst();
        return busiest == 0 ? 0 : (double) jobs / (workers * busiest);
    }
}
