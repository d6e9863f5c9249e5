package org.ltxfleet.infra.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * use k cores, on a batch of distinct archives (no cache hits), after a warm-up batch. A round runs
 * from its first submit to the last of its jobs' ready messages on {@code ltx.ready}. Efficiency
 * at k is (jobs/s at k) / (k × jobs/s at 1): 1.0 is linear. Two things bound it besides the
 * workers, and each round prints them: the split of jobs between workers (the gateway places jobs
 * on the least-loaded partitions, but a user's own producer may not), and the cores the stack in
 * this JVM (broker, store, gateway, their JIT and collector) leaves the workers on this machine.
 */
public final class ScaleBench {

    /**
     * Jobs each worker runs before a round is measured: a fresh JVM (the stack's in the first round,
     * each worker's in every round) spends its first jobs compiling, which a long-running fleet does not.
     */
    private static final int WARM_UP_JOBS_PER_WORKER = 3;

    private final FleetStack stack;
    private final Path dataDir;
    private final int jobs;
    private final int maxWorkers;
    private final int passes;
    private final Consumer<String> progress;

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
     * Runs {@code passes} passes of 1…N workers; each figure is the median over the passes, and an
     * efficiency compares counts within one pass (a noisy neighbour spoils a pass, not the result).
     */
    public Map<String, Object> run() throws Exception {
        SampleClipGenerator.quietFfmpegLogs();
        int cores = Runtime.getRuntime().availableProcessors();
        var byWorkers = new java.util.TreeMap<Integer, List<Round>>();
        for (int pass = 1; pass <= passes; pass++) {
            for (int workers = 1; workers <= maxWorkers; workers++) {
                Round round = measure(pass, workers);
                byWorkers.computeIfAbsent(workers, k -> new ArrayList<>()).add(round);
                double efficiency = round.jobsPerSecond() / (workers * byWorkers.get(1).getLast().jobsPerSecond());
                progress.accept(String.format("pass %d/%d, %d worker process(es): %.3f jobs/s, efficiency %.2f; jobs "
                                + "per worker %s (the partitions allowed at most %.2f); the stack used %.2f cores %s, "
                                + "which leaves the workers at most %.2f", pass, passes, workers, round.jobsPerSecond(),
                        efficiency, round.jobsPerWorker().values(), round.partitionBound(jobs), round.stackCores(),
                        round.stackCoresByPart(), round.cpuBound(cores)));
            }
        }
        var result = new LinkedHashMap<String, Object>();
        result.put("cores", cores);
        result.put("jobs_per_round", jobs);
        result.put("passes", passes);
        List<Round> single = byWorkers.get(1);
        byWorkers.forEach((workers, passes) -> {
            var efficiencies = new ArrayList<Double>();
            var ofCpuBound = new ArrayList<Double>();
            for (int i = 0; i < passes.size(); i++) {
                double efficiency = passes.get(i).jobsPerSecond() / (workers * single.get(i).jobsPerSecond());
                efficiencies.add(efficiency);
                ofCpuBound.add(efficiency / passes.get(i).cpuBound(cores));
            }
            result.put("jobs_per_s_" + workers, round(median(passes.stream().map(Round::jobsPerSecond).toList()), 1000));
            result.put("efficiency_" + workers, round(median(efficiencies), 100));
            result.put("efficiency_by_pass_" + workers, efficiencies.stream().map(e -> round(e, 100)).toList());
            result.put("jobs_per_worker_" + workers, List.copyOf(passes.getLast().jobsPerWorker().values()));
            result.put("partition_bound_" + workers, round(median(passes.stream().map(r -> r.partitionBound(jobs)).toList()), 100));
            result.put("stack_cores_" + workers, round(median(passes.stream().map(Round::stackCores).toList()), 100));
            result.put("cpu_bound_" + workers, round(median(passes.stream().map(r -> r.cpuBound(cores)).toList()), 100));
            result.put("efficiency_of_cpu_bound_" + workers, round(median(ofCpuBound), 100));
        });
        result.put("efficiency_per_core", result.get("efficiency_" + maxWorkers));
        return result;
    }

    /** One measured round of {@code workers} fresh worker processes, after their warm-up. */
    private Round measure(int pass, int workers) throws Exception {
        int seeds = 10_000 * pass + 1000 * workers;
        List<String> warmUp = datasets(seeds + 500, WARM_UP_JOBS_PER_WORKER * workers);
        List<String> urls = datasets(seeds, jobs);
        List<Process> processes = startWorkers(workers);
        try {
            round(warmUp);
            return round(urls);
        } finally {
            for (Process process : processes) {
                process.destroy();
            }
            for (Process process : processes) {
                process.waitFor(60, TimeUnit.SECONDS);
            }
        }
    }

    private static double median(List<Double> values) {
        var sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double round(double value, int scale) {
        return (double) Math.round(value * scale) / scale;
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
     * One round: jobs per second until the last ready message, the jobs each worker started (the
     * partitions decide), and the cores this JVM (broker, store, gateway) used meanwhile.
     */
    private record Round(double jobsPerSecond, Map<String, Integer> jobsPerWorker, Map<String, Double> stackCoresByPart) {

        double stackCores() {
            return stackCoresByPart.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /** The most the split of {@code jobs} between the workers allowed: 1 when even. */
        double partitionBound(int jobs) {
            int busiest = jobsPerWorker.values().stream().mapToInt(Integer::intValue).max().orElse(jobs);
            return (double) jobs / (jobsPerWorker.size() * busiest);
        }

        /** The workers can have at most the cores the stack leaves them: the most this round could reach. */
        double cpuBound(int cores) {
            return Math.min(1, (cores - stackCores()) / Math.max(1, jobsPerWorker.size()));
        }
    }

    /** Submits the round's jobs and follows ltx.ready and ltx.events until each is preprocessed. */
    private Round round(List<String> urls) throws Exception {
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
            var perWorker = new java.util.TreeMap<String, Integer>();
            var cpuBefore = ThreadCpu.read();
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
            double seconds = (last - started) / 1000.0;
            double elapsed = (System.currentTimeMillis() - started) / 1000.0;
            var cores = new java.util.TreeMap<String, Double>();
            ThreadCpu.between(cpuBefore, ThreadCpu.read(), ScaleBench::part)
                    .forEach((part, cpu) -> cores.put(part, Math.round(cpu / elapsed * 100) / 100.0));
            return new Round(urls.size() / seconds, perWorker, cores);
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
