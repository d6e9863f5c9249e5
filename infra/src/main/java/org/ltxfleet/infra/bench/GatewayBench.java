package org.ltxfleet.infra.bench;

import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.JobMessage;
import org.ltxfleet.common.kafka.KafkaSettings;
import org.ltxfleet.common.kafka.Records;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.infra.stack.FleetStack;

/**
 * Submits jobs through the gateway at a fixed rate and, in the same run, sends the same job
 * messages with a raw Kafka producer (same acks, same idempotence) at the same rate: the ratio
 * of the two tells what the HTTP layer costs, whatever the machine's speed today. Latency counts
 * from when a request was due, not when it was sent, so a stalled sender cannot hide its stall.
 *
 * <p>Every phase starts once the gateway's projection has read what the phase before wrote (the
 * raw producer's jobs are read back by the gateway too: a backlog left by one phase would be paid
 * by the next), and reports the CPU and memory each thread group spent per job, so a slow path
 * says where its time went. The whole stack shares one JVM and the machine's cores with the
 * benchmark's own clients: the ratios say what a gateway costs beside Kafka on the same cores, not
 * what a gateway on cores of its own would take.
 */
public final class GatewayBench {

    static final String BODY = """
            {"training_data_url":"https://example.com/clips.zip","trigger_phrase":"bench","rank":16,
             "number_of_steps":500,"resolution":"low","aspect_ratio":"1:1"}""";

    static final int CONCURRENCY = 64;
    private static final double JIT_SETTLED = 0.05;
    private static final long CATCH_UP_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(3);

    private final FleetStack fleet;
    private final Shape shape;
    private final Path recordings;
    /** The threads alive before the benchmark's HTTP client started: Vert.x threads among them are the gateway's. */
    private Set<Long> threadsBeforeClient;
    private long written;

    /**
     * The stack settings the benchmark needs (in the stack's {@code fleet.properties}): one key offers
     * the whole load and no worker takes the jobs, so the key's rate limit and its cap of queued jobs
     * would refuse most of it.
     */
    public static final String STACK_SETTINGS = "gateway.rate.limit.per.second=0\ngateway.max.queued.per.key=0\n";

    /**
     * How hard and how long: {@code rate} submits/s in paced phases of {@code seconds}, {@code rounds}
     * comparisons of each load, at most {@code mostWarmUpRounds} warm-up rounds, {@code idleSeconds}
     * of measuring the idle stack.
     */
    public record Shape(int rate, int seconds, int rounds, int mostWarmUpRounds, int idleSeconds) {
        /** The command's: 3 rounds, up to 12 warm-up rounds, 5 idle seconds. */
        public static Shape of(int rate, int seconds) {
            return new Shape(rate, seconds, 3, 12, 5);
        }
    }

    /**
     * A benchmark of the stack's gateway (started with {@link #STACK_SETTINGS}); with {@code
     * recordings}, a flight recording of each path's first measured phase of each load is written there.
     */
    public GatewayBench(FleetStack fleet, Shape shape, Path recordings) {
        this.fleet = fleet;
        this.shape = shape;
        this.recordings = recordings;
    }

    /**
     * Warms both paths up until the JIT settles, then compares them a few rounds paced (the target
     * rate) and as many saturated (as many as {@value #CONCURRENCY} requests in flight: the most each
     * path can take), alternating which goes first; returns the figures, each
     * ratio the median of its rounds' (a noisy neighbour spoils one round, not the result).
     */
    public Map<String, Object> run() throws Exception {
        threadsBeforeClient = ThreadCpu.read().names().keySet();
        Vertx vertx = Vertx.vertx();
        // One producer and one client for every phase: new ones per phase gave the JIT new type
        // profiles to deoptimise and compile again while measuring.
        try (var raw = new KafkaProducer<String, byte[]>(
                KafkaSettings.producer(fleet.kafkaBootstrap(), "bench-raw-producer"))) {
            var kafka = new WritePath("kafka", viaKafka(raw));
            var gateway = new WritePath("gateway", viaGateway(vertx));
            var warmUp = warmUp(() -> {
                measured(null, Math.max(1, shape.seconds() / 2), this::saturated, kafka);
                measured(null, Math.max(1, shape.seconds() / 2), this::saturated, gateway);
            });
            Map<String, Double> idle = idleCpu();
            var paced = compare("paced", this::paced, kafka, gateway);
            var saturated = compare("saturated", this::saturated, kafka, gateway);
            var figures = figures(paced, saturated);
            figures.put("idle_cpu_cores", idle);
            figures.putAll(warmUp);
            return figures;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** A way to write a job, and its name in the figures. */
    private record WritePath(String name, Consumer<Consumer<String>> sendOne) {
    }

    /** The phases of both paths under one load, round by round. */
    private record Comparison(List<BenchPhase> kafka, List<BenchPhase> gateway) {
        List<Double> ratios(ToDoubleFunction<BenchPhase> figure) {
            var ratios = new ArrayList<Double>();
            for (int i = 0; i < kafka.size(); i++) {
                ratios.add(round(figure.applyAsDouble(gateway.get(i)) / figure.applyAsDouble(kafka.get(i))));
            }
            return ratios;
        }
    }

    private Comparison compare(String load, Load offer, WritePath kafka, WritePath gateway) throws Exception {
        var comparison = new Comparison(new ArrayList<>(), new ArrayList<>());
        for (int round = 0; round < shape.rounds(); round++) {
            boolean kafkaFirst = round % 2 == 0;
            for (WritePath path : kafkaFirst ? List.of(kafka, gateway) : List.of(gateway, kafka)) {
                // Recordings of the first round only: one per path and load is what a profile needs.
                var phase = measured(round == 0 ? path.name() + "-" + load : null, shape.seconds(), offer, path);
                (path == kafka ? comparison.kafka() : comparison.gateway()).add(phase);
            }
        }
        return comparison;
    }

    /** One round of load on both paths. */
    @FunctionalInterface
    private interface Round {
        void run() throws Exception;
    }

    /**
     * Repeats {@code round} until the JIT compilers were busy less than {@value #JIT_SETTLED} of the
     * round's time (at most the shape's most warm-up rounds): on a small machine compiling the
     * broker's, the gateway's and the clients' hot code takes a minute or more, and a phase measured
     * meanwhile measures the compiler. Returns how many rounds it took and the compilers' last share.
     */
    private Map<String, Object> warmUp(Round round) throws Exception {
        var jit = ManagementFactory.getCompilationMXBean();
        int rounds = 0;
        double share;
        do {
            long compiledBefore = jit.getTotalCompilationTime();
            long start = System.nanoTime();
            round.run();
            rounds++;
            share = (jit.getTotalCompilationTime() - compiledBefore) / ((System.nanoTime() - start) / 1e6);
        } while (share > JIT_SETTLED && rounds < shape.mostWarmUpRounds());
        var figures = new LinkedHashMap<String, Object>();
        figures.put("warm_up_rounds", rounds);
        figures.put("jit_share_of_last_warm_up", round(share));
        return figures;
    }

    /** The cores each thread group keeps busy while nothing is offered: the floor under every phase. */
    private Map<String, Double> idleCpu() throws Exception {
        awaitProjectionCaughtUp();
        var before = ThreadCpu.read();
        int idleSeconds = shape.idleSeconds();
        TimeUnit.SECONDS.sleep(idleSeconds);
        var cores = new LinkedHashMap<String, Double>();
        var spent = ThreadCpu.between(before, ThreadCpu.read(), groups());
        cores.put("total", round(spent.values().stream().mapToDouble(Double::doubleValue).sum() / idleSeconds));
        spent.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> cores.put(e.getKey(), round(e.getValue() / idleSeconds)));
        return cores;
    }

    private Map<String, Object> figures(Comparison paced, Comparison saturated) {
        var result = new LinkedHashMap<String, Object>();
        result.put("target_rate_per_s", shape.rate());
        result.put("seconds", shape.seconds());
        result.put("rounds", shape.rounds());
        result.put("gateway_accepted_per_s", median(paced.gateway(), BenchPhase::perSecond));
        result.put("gateway_p50_ms", median(paced.gateway(), p -> p.recorder().percentileMs(0.50)));
        result.put("gateway_p99_ms", median(paced.gateway(), BenchPhase::p99Ms));
        result.put("kafka_acked_per_s", median(paced.kafka(), BenchPhase::perSecond));
        result.put("kafka_p50_ms", median(paced.kafka(), p -> p.recorder().percentileMs(0.50)));
        result.put("kafka_p99_ms", median(paced.kafka(), BenchPhase::p99Ms));
        result.put("ratio_p99_by_round", paced.ratios(BenchPhase::p99Ms));
        result.put("ratio_p99_gateway_to_kafka", median(paced.ratios(BenchPhase::p99Ms)));
        result.put("gateway_max_per_s", median(saturated.gateway(), BenchPhase::perSecond));
        result.put("kafka_max_per_s", median(saturated.kafka(), BenchPhase::perSecond));
        result.put("ratio_max_by_round", saturated.ratios(BenchPhase::perSecond));
        result.put("ratio_max_gateway_to_kafka", median(saturated.ratios(BenchPhase::perSecond)));
        result.put("gateway_errors", BenchPhase.failureReasons(both(paced.gateway(), saturated.gateway())));
        result.put("kafka_errors", BenchPhase.failureReasons(both(paced.kafka(), saturated.kafka())));
        result.put("gateway_cpu_us_per_job", BenchPhase.cpuMicrosPerJob(paced.gateway()));
        result.put("kafka_cpu_us_per_job", BenchPhase.cpuMicrosPerJob(paced.kafka()));
        result.put("gateway_max_cpu_us_per_job", BenchPhase.cpuMicrosPerJob(saturated.gateway()));
        result.put("kafka_max_cpu_us_per_job", BenchPhase.cpuMicrosPerJob(saturated.kafka()));
        result.put("gateway_max_alloc_kb_per_job", BenchPhase.allocatedKbPerJob(saturated.gateway()));
        result.put("kafka_max_alloc_kb_per_job", BenchPhase.allocatedKbPerJob(saturated.kafka()));
        return result;
    }

    private static List<BenchPhase> both(List<BenchPhase> a, List<BenchPhase> b) {
        var all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static double median(List<BenchPhase> phases, ToDoubleFunction<BenchPhase> figure) {
        return median(phases.stream().map(figure::applyAsDouble).toList());
    }

    private static double median(List<Double> values) {
        var sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return round(n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
    }

    /** How requests are offered: paced at the target rate, or saturated. */
    @FunctionalInterface
    private interface Load {
        LatencyRecorder apply(int seconds, Consumer<Consumer<String>> sendOne) throws InterruptedException;
    }

    /** Sends one job message straight to Kafka, as the gateway would write it. */
    private static Consumer<Consumer<String>> viaKafka(KafkaProducer<String, byte[]> producer) {
        return done -> {
            var job = new JobMessage(JobMessage.SCHEMA_VERSION, UUID.randomUUID().toString(), "bench",
                    GatewaySettings.ENDPOINT_ID, Instant.now(), null, null, null, null,
                    Json.readTree(BODY.getBytes()), null, null);
            producer.send(Records.job(job),
                    (metadata, error) -> done.accept(error == null ? null : error.getClass().getSimpleName()));
        };
    }

    /** Submits one job through the gateway's HTTP API. */
    private Consumer<Consumer<String>> viaGateway(Vertx vertx) {
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(128));
        var url = fleet.gatewayUrl();
        var options = new RequestOptions().setMethod(HttpMethod.POST).setHost(url.getHost())
                .setPort(url.getPort()).setURI("/" + GatewaySettings.ENDPOINT_ID)
                .putHeader("Authorization", "Key " + fleet.apiKey())
                .putHeader("Content-Type", "application/json");
        Buffer body = Buffer.buffer(BODY);
        return done -> http.request(options)
                .compose(req -> req.send(body))
                .compose(resp -> resp.body().map(b -> resp.statusCode()))
                .onComplete(ar -> done.accept(failureOf(ar)));
    }

    /**
     * Runs one phase of {@code path} once the gateway has read every job written so far, with CPU
     * and allocation readings around it (and a flight recording named {@code name}, unless null).
     */
    private BenchPhase measured(String name, int seconds, Load load, WritePath path) throws Exception {
        awaitProjectionCaughtUp();
        try (var recording = recordings == null || name == null ? null : new Recording(Configuration.getConfiguration("profile"))) {
            if (recording != null) {
                // CPU-time samples (JDK 25+, Linux; ignored elsewhere) see threads in system calls too,
                // where the event loops spend much of their time, and sample busy threads more often.
                recording.enable("jdk.CPUTimeSample").with("throttle", "1ms");
                recording.start();
            }
            long start = System.nanoTime();
            var before = ThreadCpu.read();
            LatencyRecorder recorder = load.apply(seconds, path.sendOne());
            var after = ThreadCpu.read();
            double elapsed = (System.nanoTime() - start) / 1e9;
            written += recorder.successes();
            if (recording != null) {
                Files.createDirectories(recordings);
                recording.dump(recordings.resolve(name + ".jfr"));
            }
            var group = groups();
            return new BenchPhase(recorder, elapsed, ThreadCpu.between(before, after, group),
                    ThreadCpu.allocatedBetween(before, after, group));
        }
    }

    private void awaitProjectionCaughtUp() throws InterruptedException {
        var projection = fleet.gateway().services().projection();
        long deadline = System.nanoTime() + CATCH_UP_TIMEOUT_NANOS;
        while (projection.size() < written) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the gateway's projection read " + projection.size() + " of the "
                        + written + " jobs written within 3 minutes");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** Names each thread's part: the gateway's, the broker's or the benchmark's own. */
    private Function<Map.Entry<Long, String>, String> groups() {
        return thread -> {
            String name = thread.getValue();
            if (name.startsWith("vert.x-")) {
                return threadsBeforeClient.contains(thread.getKey()) ? "gateway_http" : "bench_http_client";
            }
            if (name.endsWith("| api-gateway")) {
                return "gateway_producer";
            }
            if (name.endsWith("| bench-raw-producer")) {
                return "bench_raw_producer";
            }
            if (name.equals("gateway-projection")) {
                return "gateway_projection";
            }
            if (name.startsWith("gateway-") || name.startsWith("webhook-")) {
                return "gateway_other";
            }
            if (name.equals("main")) {
                return "bench_driver";
            }
            return name.contains("| ") ? "other_kafka_clients" : "kafka_broker_and_other";
        };
    }

    /** Null for a 200, else why the request failed: the HTTP status or the exception's class. */
    private static String failureOf(AsyncResult<Integer> ar) {
        if (ar.failed()) {
            return ar.cause().getClass().getSimpleName();
        }
        return ar.result() == 200 ? null : "HTTP " + ar.result();
    }

    /** Issues one request per 1/rate seconds for the duration, then waits for the stragglers. */
    private LatencyRecorder paced(int seconds, Consumer<Consumer<String>> sendOne) throws InterruptedException {
        int total = shape.rate() * seconds;
        var recorder = new LatencyRecorder(total);
        var finished = new CountDownLatch(total);
        long interval = 1_000_000_000L / shape.rate();
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            sendOne.accept(outcome(recorder, due, finished::countDown));
        }
        finished.await(60, TimeUnit.SECONDS);
        return recorder;
    }

    /** Keeps {@link #CONCURRENCY} requests in flight for the duration; latency counts from each send. */
    private LatencyRecorder saturated(int seconds, Consumer<Consumer<String>> sendOne)
            throws InterruptedException {
        var recorder = new LatencyRecorder(shape.rate() * seconds * 20);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        var permits = new Semaphore(CONCURRENCY);
        while (System.nanoTime() < deadline) {
            permits.acquire();
            sendOne.accept(outcome(recorder, System.nanoTime(), permits::release));
        }
        permits.acquire(CONCURRENCY);
        return recorder;
    }

    /** Records a request's outcome (null: success) against the moment it counts from, then runs {@code then}. */
    private static Consumer<String> outcome(LatencyRecorder recorder, long from, Runnable then) {
        return failure -> {
            if (failure == null) {
                recorder.success(System.nanoTime() - from);
            } else {
                recorder.failure(failure);
            }
            then.run();
        };
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
