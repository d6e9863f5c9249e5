package org.ltxfleet.infra.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.KafkaSettings;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.infra.client.FleetClient;
import org.ltxfleet.infra.demo.SampleClipGenerator;
import org.ltxfleet.infra.stack.FleetStack;

/**
 * How the preprocess stage scales with worker processes: a stack without workers, then passes of
 * 1, 2, … preprocess worker processes (up to the cores), each seeing one processor (as a container
 * limited to one CPU does: its decoding, model and JVM threads size from that) so that k of them
 * use k cores, on a batch of distinct archives (no cache hits), after warm-up batches (until the
 * workers' JIT settles). A round runs from its first submit to the last of its jobs' ready messages
 * on {@code ltx.ready}.
 *
 * <p>Per round, with J jobs, T seconds, k workers and C cores on the machine:
 * <ul>
 *   <li><b>efficiency_k</b> = (J/T at k) / (k × J/T at 1) within one pass: 1.0 is linear.</li>
 *   <li><b>cpu_per_job_k</b> = the worker processes' CPU-seconds over the round (user + system of
 *       every thread, as the kernel counts them at the round's start and end) / J. Linear scaling
 *       needs it to stay put as k grows: {@code cpu_per_job_2_over_1} is its ratio at 2 and 1
 *       workers within a pass (goal ≤ 1.1).</li>
 *   <li><b>stack_cores_k</b> = this JVM's CPU-seconds over the round (broker, store, gateway, the
 *       bench's client, their JIT and collector) / the round's wall time.</li>
 *   <li><b>throughput_bound_k</b> = min(k, C − stack_cores_k) / cpu_per_job_k: the jobs/s the
 *       workers could do at most with the CPU the stack leaves them, at the CPU per job they
 *       showed.</li>
 *   <li><b>efficiency_of_cpu_bound_k</b> = (J/T at k) / throughput_bound_k (goal ≥ 0.85 at 2). This
 *       is the workers' cores used over the cores left to them: what lowers it is CPU left to the
 *       workers that they did not use (an uneven split, a worker idle at the round's end, waits on
 *       broker or store) or that other processes on the machine took (reported as
 *       {@code other_cores_k}, from {@code /proc/stat}; the figure means what it says only where
 *       that is near 0). {@code worker_wait_cores_k} is how long the workers' threads were
 *       runnable without a core.</li>
 *   <li><b>split_even</b>: in every round each worker started jobs/k jobs to less than one (the
 *       gateway places jobs on the least-loaded partitions, but a user's own producer may not).</li>
 * </ul>
 * Where workers have hosts of their own, jobs/s at k against k × jobs/s at 1 measures the scaling
 * directly (docs/OPERATIONS.md); on one machine the stack takes cores from the workers, and these
 * figures separate what the workers cost from what the machine could give them.
 */
public final class ScaleBench {

    /**
     * Jobs each worker runs per warm-up batch: a fresh JVM (the stack's in the first round, each
     * worker's in every round) spends its first jobs compiling, which a long-running fleet does not.
     */
    private static final int WARM_UP_JOBS_PER_WORKER = 3;

    /**
     * Warm-up batches run until the workers' JIT compilers took less than this share of their CPU in
     * the last one (or {@link #MOST_WARM_UP_BATCHES} ran): the JIT of k fresh JVMs is a cost k times
     * over, and a round measured while it still compiles charges it to the jobs.
     */
    private static final double SETTLED_JIT_SHARE = 0.05;

    private static final int MOST_WARM_UP_BATCHES = 8;

    private final FleetStack stack;
    private final Path dataDir;
    private final int jobs;
    private final int maxWorkers;
    private final int passes;
    private final Consumer<String> progress;
    /** The cores each part of this JVM used in the last round, for the progress line. */
    private Map<String, Double> stackCoresByPart = Map.of();

    /**
     * A benchmark on {@code stack} in {@code dataDir} (which must run no workers) of {@code jobs} jobs per round,
     * {@code passes} passes over 1…{@code maxWorkers} workers.
     */
    public ScaleBench(FleetStack stack, Path dataDir, int jobs, int maxWorkers, int passes, Consumer<String> progress) {
        this.stack = stack;
        this.dataDir = dataDir.toAbsolutePath();
        this.jobs = jobs;
        this.maxWorkers = maxWorkers;
        this.passes = passes;
        this.progress = progress;
    }

    /**
     * Runs {@code passes} passes of 1…N workers; each figure is the median over the passes, and a
     * ratio between worker counts compares rounds within one pass (a noisy neighbour spoils a pass,
     * not the result). See {@link ScaleFigures} for the result's keys.
     */
    public Map<String, Object> run() throws Exception {
        SampleClipGenerator.quietFfmpegLogs();
        int cores = Runtime.getRuntime().availableProcessors();
        var byWorkers = new TreeMap<Integer, List<ScaleRound>>();
        for (int pass = 1; pass <= passes; pass++) {
            for (int workers = 1; workers <= maxWorkers; workers++) {
                ScaleRound round = measure(pass, workers);
                byWorkers.computeIfAbsent(workers, k -> new ArrayList<>()).add(round);
                ScaleRound single = byWorkers.get(1).getLast();
                progress.accept(String.format(Locale.ROOT, "pass %d/%d, %d worker process(es): %.3f jobs/s, "
                                + "efficiency %.2f; worker CPU %.3f s/job (%.3f of one worker's; by thread group %s), "
                                + "stack CPU %.3f s/job; cores: stack %.2f %s, workers %.2f (and %.2f more waited for "
                                + "a core), other processes %.2f, left to the workers by the stack %.2f; bound %.3f "
                                + "jobs/s, efficiency of it %.3f; jobs per worker %s (%s)",
                        pass, passes, workers, round.jobsPerSecond(), round.efficiency(single),
                        round.workerCpuPerJob(), round.workerCpuPerJobOver(single),
                        rounded(round.workerCpuPerJobByGroup()), round.stackCpuPerJob(),
                        round.stackCores(), stackCoresByPart, round.workerCores(), round.workerWaitCores(),
                        round.otherCores(), round.coresLeftToWorkers(cores), round.throughputBound(cores),
                        round.efficiencyOfCpuBound(cores), round.split(), round.splitEven() ? "even"
                                : "uneven: the split allowed " + ScaleFigures.round(round.partitionBound(), 100)));
            }
        }
        return ScaleFigures.of(byWorkers, cores, jobs, passes);
    }

    /** One measured round of {@code workers} fresh worker processes, after their warm-up. */
    private ScaleRound measure(int pass, int workers) throws Exception {
        // Seeds of their own for every round and warm-up batch: no job hits the dataset cache.
        int seeds = 100_000 * pass + 10_000 * workers;
        List<Process> processes = startWorkers(workers);
        try {
            for (int batch = 1; ; batch++) {
                var warmUp = round(datasets(seeds + jobs + (batch - 1) * WARM_UP_JOBS_PER_WORKER * workers,
                        WARM_UP_JOBS_PER_WORKER * workers), processes);
                if (warmUp.workerJitShare() < SETTLED_JIT_SHARE || batch == MOST_WARM_UP_BATCHES) {
                    progress.accept(String.format(Locale.ROOT, "  %d worker(s) warmed up in %d batch(es) of %d jobs; "
                                    + "the last spent %.0f%% of the workers' CPU in their JIT", workers, batch,
                            WARM_UP_JOBS_PER_WORKER * workers, 100 * warmUp.workerJitShare()));
                    break;
                }
            }
            return round(datasets(seeds, jobs), processes);
        } finally {
            for (Process process : processes) {
                process.destroy();
            }
            for (Process process : processes) {
                process.waitFor(60, TimeUnit.SECONDS);
            }
        }
    }

    private static Map<String, Double> rounded(Map<String, Double> values) {
        var rounded = new java.util.LinkedHashMap<String, Double>();
        values.forEach((k, v) -> rounded.put(k, ScaleFigures.round(v, 1000)));
        return rounded;
    }

    /** Distinct archives (a seed of their own each, from {@code firstSeed}, so no job hits the dataset cache). */
    private List<String> datasets(int firstSeed, int count) throws IOException {
        var urls = new ArrayList<String>();
        Path dir = Files.createTempDirectory("fleet-scale");
        for (int i = 0; i < count; i++) {
            Path zip = SampleClipGenerator.writeDatasetZip(dir.resolve(i + ".zip"), 1, 256, 256, 24, 33, firstSeed + i);
            urls.add(stack.publish("bench/scale-" + (firstSeed + i) + "-" + System.nanoTime() + ".zip", zip));
            Files.delete(zip);
        }
        Files.delete(dir);
        return urls;
    }

    private List<Process> startWorkers(int count) throws Exception {
        Path logs = Files.createDirectories(dataDir.resolve("scale-logs"));
        var processes = new ArrayList<Process>();
        for (int i = 1; i <= count; i++) {
            String name = "scale-" + count + "-" + i;
            Path log = logs.resolve(name + ".log");
            var command = List.of(ProcessHandle.current().info().command().orElse("java"),
                    "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-Dai.djl.offline=true",
                    // One core's worth, as a container with a one-CPU limit sees it: FFmpeg's decoding
                    // threads, the model's, the clip parallelism and the JVM's own all size from this.
                    "-XX:ActiveProcessorCount=1",
                    "-cp", System.getProperty("java.class.path"), "org.ltxfleet.infra.cli.FleetCli",
                    "worker", "preprocess", "--data-dir", dataDir.toString(), "--name", name,
                    "--allow-private-urls");
            var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("FLEET_MODEL_CPU_THREADS", "1");
            processes.add(builder.start());
            awaitLine(log, "joined the stack", processes.getLast());
        }
        // Let the group settle with every member before the jobs come.
        Thread.sleep(5000);
        return processes;
    }

    /**
     * One round: submits its jobs and follows ltx.ready and ltx.events until each is preprocessed;
     * jobs/s until the last ready message, the jobs each worker started (the partitions decide), and
     * the CPU time meanwhile of the worker processes, of this JVM (broker, store, gateway, the bench's
     * client; by part in {@link #stackCoresByPart}) and of the whole machine.
     */
    private ScaleRound round(List<String> urls, List<Process> workers) throws Exception {
        var client = new FleetClient(stack.gatewayUrl(), stack.apiKey(), GatewaySettings.ENDPOINT_ID);
        try (var ready = new KafkaConsumer<String, byte[]>(KafkaSettings.consumer(stack.kafkaBootstrap(), null,
                "scale-bench"))) {
            var partitions = new ArrayList<TopicPartition>();
            for (String topic : List.of(Topics.READY, Topics.EVENTS)) {
                ready.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            ready.assign(partitions);
            ready.seekToEnd(partitions);
            partitions.forEach(ready::position);
            Set<String> waiting = new HashSet<>();
            var perWorker = new TreeMap<String, Integer>();
            var cpuBefore = ThreadCpu.read();
            double workersBefore = workerCpuSeconds(workers);
            var threadsBefore = ProcessThreads.read(workers.stream().map(Process::pid).toList());
            double machineBefore = machineCpuSeconds();
            long started = System.currentTimeMillis();
            for (String url : urls) {
                var input = Json.object();
                input.put("training_data_url", url);
                input.put("number_of_frames", 33);
                input.put("number_of_steps", 100);
                var reply = client.submit(Json.toString(input));
                if (reply.status() != 200) {
                    throw new IllegalStateException("submit answered " + reply.status() + ": " + reply.rawBody());
                }
                waiting.add(reply.body().get("request_id").asText());
            }
            long last = started;
            long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
            while (!waiting.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : ready.poll(Duration.ofMillis(500))) {
                    if (record.topic().equals(Topics.EVENTS)) {
                        countStart(record, perWorker);
                    } else if (waiting.remove(record.key())) {
                        last = Math.max(last, record.timestamp());
                    }
                }
            }
            if (!waiting.isEmpty()) {
                throw new IllegalStateException(waiting.size() + " job(s) not preprocessed in 20 minutes; see "
                        + dataDir.resolve("scale-logs"));
            }
            var cpuAfter = ThreadCpu.read();
            double workersAfter = workerCpuSeconds(workers);
            var threadsAfter = ProcessThreads.read(workers.stream().map(Process::pid).toList());
            double machineAfter = machineCpuSeconds();
            double seconds = (last - started) / 1000.0;
            double elapsed = (System.currentTimeMillis() - started) / 1000.0;
            var byPart = ThreadCpu.between(cpuBefore, cpuAfter, ScaleBench::part);
            stackCoresByPart = new TreeMap<>();
            byPart.forEach((part, cpu) -> stackCoresByPart.put(part, Math.round(cpu / elapsed * 100) / 100.0));
            double stackCpu = (cpuAfter.processCpu() - cpuBefore.processCpu()) / 1e9;
            double waited = ProcessThreads.waitBetween(threadsBefore, threadsAfter).values().stream()
                    .mapToDouble(Double::doubleValue).sum();
            double workerCpu = workersAfter - workersBefore;
            return new ScaleRound(workers.size(), urls.size(), seconds, elapsed, perWorker, workerCpu, stackCpu,
                    machineAfter - machineBefore, ProcessThreads.cpuBetween(threadsBefore, threadsAfter, workerCpu),
                    waited);
        }
    }

    /**
     * CPU-seconds (user + system, every thread) the worker processes have spent so far, as the
     * kernel counts them ({@code /proc/<pid>/stat} on Linux, through {@link ProcessHandle.Info}).
     */
    private static double workerCpuSeconds(List<Process> workers) {
        double seconds = 0;
        for (Process worker : workers) {
            Duration cpu = worker.info().totalCpuDuration().orElseThrow(() ->
                    new IllegalStateException("the CPU time of worker process " + worker.pid() + " is not readable"));
            seconds += cpu.toNanos() / 1e9;
        }
        return seconds;
    }

    /**
     * CPU-seconds the whole machine has spent busy so far (user, nice, system, irq, softirq and
     * steal from {@code /proc/stat}, in the kernel's 100 Hz ticks), or {@code NaN} where there is no
     * {@code /proc/stat}.
     */
    static double machineCpuSeconds() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long ticks = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                ticks += Long.parseLong(fields[i]);
            }
            return ticks / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Which part of the stack's JVM a thread belongs to, by its name. */
    private static String part(Map.Entry<Long, String> thread) {
        String name = thread.getValue();
        if (name.startsWith("S3Proxy")) {
            return "store";
        }
        if (name.startsWith("vert.x-") || name.startsWith("gateway-") || name.startsWith("webhook-")
                || name.contains("| api-gateway") || name.contains("| webhook-") || name.contains("| ltx-webhook")) {
            return "gateway";
        }
        if (name.equals("main") || name.startsWith("HttpClient") || name.contains("| scale-bench")) {
            return "bench";
        }
        return "broker";
    }

    /** Counts a preprocess worker's start of a job (the event names the worker). */
    private static void countStart(ConsumerRecord<String, byte[]> record, Map<String, Integer> perWorker) {
        var event = org.ltxfleet.common.kafka.Records.readEvent(record);
        if (event.type() == org.ltxfleet.common.event.EventType.STARTED) {
            var started = event.payloadAs(org.ltxfleet.common.event.Payloads.Started.class);
            if (org.ltxfleet.common.event.Payloads.STAGE_PREPROCESS.equals(started.stage())) {
                perWorker.merge(started.worker(), 1, Integer::sum);
            }
        }
    }

    private static void awaitLine(Path log, String line, Process process) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("a worker exited: " + Files.readString(log));
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("a worker did not join in 2 minutes: " + Files.readString(log));
    }
}
