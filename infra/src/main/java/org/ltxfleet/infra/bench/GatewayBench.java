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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
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
import org.ltxfleet.common.kafka.Records;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.gateway.submit.JobPublisher;
import org.ltxfleet.infra.stack.FleetStack;

/**
 * Offers the same jobs three ways in one run: through the gateway's HTTP API, through a {@link
 * BareBridge} (HTTP in, the parsed body out to Kafka, nothing else) and with a raw Kafka producer,
 * all with the gateway's producer settings (acks=all, idempotent) against the same broker, the two
 * HTTP paths from the same client. Gateway ÷ bridge tells what the gateway's own work costs
 * (authentication, validation, placement, idempotency, projection); gateway ÷ raw what the whole
 * HTTP layer costs; both whatever the machine's speed today. Latency counts from when a request
 * was due, not when it was sent, so a stalled sender cannot hide its stall.
 *
 * <p>The references write to a topic of their own (the job topic's partitions) that the gateway
 * does not read, so neither pays for the gateway's projection. Every phase starts once the
 * projection has read what the gateway's phases wrote (a backlog left by one phase would be paid by
 * the next), and reports the CPU and memory each thread group spent per job, so a slow path says
 * where its time went. The whole stack shares one JVM and the machine's cores with the
 * benchmark's own clients: the ratios say what a gateway costs beside Kafka on the same cores, not
 * what a gateway on cores of its own would take.
 */
public final class GatewayBench {

    static final String BODY = """
            {"training_data_url":"https://example.com/clips.zip","trigger_phrase":"bench","rank":16,
             "number_of_steps":500,"resolution":"low","aspect_ratio":"1:1"}""";

    static final int CONCURRENCY = 64;
    /** The topic the reference paths write to; the gateway reads only its own topics. */
    static final String REFERENCE_TOPIC = "bench.jobs";
    /**
     * The paced rate, unless one is given, as a share of the slowest path's saturated throughput:
     * far enough below every path's limit that p99 measures the path rather than a queue in front of
     * it, on cores shared with the broker, the clients and whatever else runs there.
     */
    static final double PACED_SHARE_OF_SLOWEST = 0.25;
    /** Goals, issue #27: what the gateway adds to a bare bridge, and to a raw producer. */
    static final double GOAL_SATURATED_OVER_BRIDGE = 0.8;
    static final double GOAL_P99_OVER_BRIDGE = 1.5;
    static final double GOAL_P99_OVER_RAW = 2.0;
    private static final double JIT_SETTLED = 0.05;
    private static final long CATCH_UP_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(3);
    private static final long ANSWER_TIMEOUT_MILLIS = 30_000;
    /** Most latencies kept per second of a saturated phase; past it the first ones stand for all. */
    private static final int SATURATED_SAMPLES_PER_SECOND = 100_000;

    private final FleetStack fleet;
    private final Shape shape;
    private final Path recordings;
    /** The threads alive before the bridge started: Vert.x threads among them are the gateway's. */
    private Set<Long> threadsBeforeBridge;
    /** The threads alive before the benchmark's HTTP client started: new Vert.x threads among them are the bridge's. */
    private Set<Long> threadsBeforeClient;
    /** Jobs the gateway accepted so far: its projection must have read as many before a phase starts. */
    private long written;

    /**
     * The stack settings the benchmark needs (in the stack's {@code fleet.properties}): one key offers
     * the whole load and no worker takes the jobs, so the key's rate limit and its cap of queued jobs
     * would refuse most of it.
     */
    public static final String STACK_SETTINGS = "gateway.rate.limit.per.second=0\ngateway.max.queued.per.key=0\n";

    /**
     * How hard and how long: {@code rate} submits/s in paced phases (0: {@value #PACED_SHARE_OF_SLOWEST}
     * of the slowest path's saturated median) of {@code seconds}, {@code rounds} comparisons of each
     * load, at most {@code mostWarmUpRounds} warm-up rounds, {@code idleSeconds} of measuring the idle stack.
     */
    public record Shape(int rate, int seconds, int rounds, int mostWarmUpRounds, int idleSeconds) {
        /** The command's: 3 rounds, up to 10 warm-up rounds, 5 idle seconds; a rate of 0 is derived. */
        public static Shape of(int rate, int seconds) {
            return new Shape(rate, seconds, 3, 10, 5);
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
     * Warms the three paths up until the JIT settles, then measures each saturated (as many as
     * {@value #CONCURRENCY} requests in flight: the most it can take) a few rounds, then paced at a
     * rate every path sustains, each round in another order; returns the figures, each ratio the
     * median of its rounds' (a noisy neighbour spoils one round, not the result).
     */
    public Map<String, Object> run() throws Exception {
        var gatewaySettings = fleet.gateway().services().settings();
        String topic = referenceTopic();
        threadsBeforeBridge = ThreadCpu.read().names().keySet();
        try (var bridge = BareBridge.start(fleet.gatewayUrl().getHost(), gatewaySettings.instances(),
                producerSettings("bench-bridge"), topic)) {
            threadsBeforeClient = ThreadCpu.read().names().keySet();
            Vertx vertx = Vertx.vertx();
            // One producer and one client for every phase: new ones per phase gave the JIT new type
            // profiles to deoptimise and compile again while measuring.
            try (var raw = new KafkaProducer<String, byte[]>(producerSettings("bench-raw-producer"))) {
                raw.partitionsFor(topic);
                HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                        new PoolOptions().setHttp1MaxSize(2 * CONCURRENCY));
                var paths = List.of(
                        new WritePath("gateway", viaHttp(http, fleet.gatewayUrl().getPort()), true),
                        new WritePath("bridge", viaHttp(http, bridge.port()), false),
                        new WritePath("raw", viaKafka(raw, topic), false));
                // Warm-up phases of a quarter of a measured one: on a busy machine the JIT may not settle
                // within the most rounds, and the whole benchmark should still take minutes, not ten.
                var warmUp = warmUp(() -> {
                    for (WritePath path : paths) {
                        measured(null, Math.max(1, shape.seconds() / 4), GatewayBench::saturated, path);
                    }
                });
                Map<String, Double> idle = idleCpu();
                var saturated = compare("saturated", GatewayBench::saturated, paths);
                int rate = shape.rate() > 0 ? shape.rate() : pacedRate(saturated);
                var paced = compare("paced", (seconds, sendOne) -> paced(rate, seconds, sendOne), paths);
                var figures = figures(rate, paced, saturated);
                figures.put("idle_cpu_cores", idle);
                figures.putAll(warmUp);
                return figures;
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The gateway's producer settings under {@code clientId}, whose threads name their group. */
    private Properties producerSettings(String clientId) {
        var settings = fleet.gateway().services().settings();
        return JobPublisher.producerSettings(settings.kafka(), clientId, settings.submitTimeout());
    }

    /** Creates {@link #REFERENCE_TOPIC} with as many partitions as the job topic, so its batches are alike. */
    private String referenceTopic() throws java.io.IOException {
        int partitions = Topics.specs().stream().filter(spec -> spec.name().equals(Topics.JOBS))
                .findFirst().orElseThrow().partitions();
        fleet.kafka().createTopics(Map.of(REFERENCE_TOPIC, partitions));
        return REFERENCE_TOPIC;
    }

    /** A way to write a job, its name in the figures, and whether the gateway's projection reads what it writes. */
    private record WritePath(String name, Consumer<Consumer<String>> sendOne, boolean projected) {
    }

    /** Each path's phases under one load, round by round, in the order the paths were given. */
    private record Comparison(Map<String, List<BenchPhase>> phases) {

        List<BenchPhase> of(String path) {
            return phases.get(path);
        }

        /** Per round, {@code figure} of {@code path} over that of {@code reference}. */
        List<Double> ratios(String path, String reference, ToDoubleFunction<BenchPhase> figure) {
            var ratios = new ArrayList<Double>();
            for (int i = 0; i < of(path).size(); i++) {
                ratios.add(round(figure.applyAsDouble(of(path).get(i)) / figure.applyAsDouble(of(reference).get(i))));
            }
            return ratios;
        }
    }

    private Comparison compare(String load, Load offer, List<WritePath> paths) throws Exception {
        var phases = new LinkedHashMap<String, List<BenchPhase>>();
        paths.forEach(path -> phases.put(path.name(), new ArrayList<>()));
        for (int round = 0; round < shape.rounds(); round++) {
            // Each round starts with another path, so each takes every place in the order once in 3 rounds.
            var order = new ArrayList<>(paths);
            Collections.rotate(order, -round);
            for (WritePath path : order) {
                // Recordings of the first round only: one per path and load is what a profile needs.
                var phase = measured(round == 0 ? path.name() + "-" + load : null, shape.seconds(), offer, path);
                phases.get(path.name()).add(phase);
            }
        }
        return new Comparison(phases);
    }

    /**
     * {@value #PACED_SHARE_OF_SLOWEST} of the slowest path's median saturated throughput, down to a
     * multiple of 10 (at least 10): a rate every path sustained with room to spare.
     */
    static int pacedRate(double slowestSaturatedPerSecond) {
        return Math.max(10, (int) (slowestSaturatedPerSecond * PACED_SHARE_OF_SLOWEST / 10) * 10);
    }

    private static int pacedRate(Comparison saturated) {
        return pacedRate(saturated.phases().values().stream()
                .mapToDouble(phases -> median(phases, BenchPhase::perSecond)).min().orElseThrow());
    }

    /** One round of load on every path. */
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

    private Map<String, Object> figures(int rate, Comparison paced, Comparison saturated) {
        var result = new LinkedHashMap<String, Object>();
        double saturatedOverBridge = median(saturated.ratios("gateway", "bridge", BenchPhase::perSecond));
        double p99OverBridge = median(paced.ratios("gateway", "bridge", BenchPhase::p99Ms));
        double p99OverRaw = median(paced.ratios("gateway", "raw", BenchPhase::p99Ms));
        result.put("saturated_over_bridge", saturatedOverBridge);
        result.put("p99_over_bridge", p99OverBridge);
        result.put("p99_over_raw", p99OverRaw);
        var goals = new LinkedHashMap<String, String>();
        goals.put("saturated_over_bridge", ">= " + GOAL_SATURATED_OVER_BRIDGE);
        goals.put("p99_over_bridge", "<= " + GOAL_P99_OVER_BRIDGE);
        goals.put("p99_over_raw", "<= " + GOAL_P99_OVER_RAW);
        result.put("goals", goals);
        result.put("goals_met", saturatedOverBridge >= GOAL_SATURATED_OVER_BRIDGE
                && p99OverBridge <= GOAL_P99_OVER_BRIDGE && p99OverRaw <= GOAL_P99_OVER_RAW);
        result.put("saturated_over_raw", median(saturated.ratios("gateway", "raw", BenchPhase::perSecond)));
        result.put("saturated_over_bridge_by_round", saturated.ratios("gateway", "bridge", BenchPhase::perSecond));
        result.put("p99_over_bridge_by_round", paced.ratios("gateway", "bridge", BenchPhase::p99Ms));
        result.put("p99_over_raw_by_round", paced.ratios("gateway", "raw", BenchPhase::p99Ms));
        result.put("paced_rate_per_s", rate);
        result.put("paced_rate_from", shape.rate() > 0 ? "--rate"
                : PACED_SHARE_OF_SLOWEST + " of the slowest path's saturated median");
        result.put("seconds", shape.seconds());
        result.put("rounds", shape.rounds());
        for (String path : saturated.phases().keySet()) {
            result.put(path + "_saturated_per_s", median(saturated.of(path), BenchPhase::perSecond));
            result.put(path + "_paced_per_s", median(paced.of(path), BenchPhase::perSecond));
            result.put(path + "_p50_ms", median(paced.of(path), p -> p.recorder().percentileMs(0.50)));
            result.put(path + "_p99_ms", median(paced.of(path), BenchPhase::p99Ms));
            result.put(path + "_errors", BenchPhase.failureReasons(both(paced.of(path), saturated.of(path))));
        }
        for (String path : saturated.phases().keySet()) {
            result.put(path + "_saturated_cpu_us_per_job", BenchPhase.cpuMicrosPerJob(saturated.of(path)));
            result.put(path + "_paced_cpu_us_per_job", BenchPhase.cpuMicrosPerJob(paced.of(path)));
            result.put(path + "_saturated_alloc_kb_per_job", BenchPhase.allocatedKbPerJob(saturated.of(path)));
        }
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

    /** How requests are offered: paced at a rate, or saturated. */
    @FunctionalInterface
    private interface Load {
        LatencyRecorder apply(int seconds, Consumer<Consumer<String>> sendOne) throws InterruptedException;
    }

    /** Parses the body and sends the job straight to Kafka: what a bridge does, without HTTP. */
    private static Consumer<Consumer<String>> viaKafka(KafkaProducer<String, byte[]> producer, String topic) {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        return done -> producer.send(Records.job(BareBridge.job(Json.readTree(body)), topic),
                (metadata, error) -> done.accept(error == null ? null : error.getClass().getSimpleName()));
    }

    /** Submits one job by HTTP to the gateway's endpoint on {@code port} (the gateway's or the bridge's), with its key. */
    private Consumer<Consumer<String>> viaHttp(HttpClient http, int port) {
        var url = fleet.gatewayUrl();
        var options = new RequestOptions().setMethod(HttpMethod.POST).setHost(url.getHost())
                .setPort(port).setURI("/" + GatewaySettings.ENDPOINT_ID)
                // A server that never answers fails its requests instead of holding the phase for ever.
                .setIdleTimeout(ANSWER_TIMEOUT_MILLIS)
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
            if (path.projected()) {
                written += recorder.successes();
            }
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

    /** Names each thread's part: the gateway's, the bridge's, the broker's or the benchmark's own. */
    private Function<Map.Entry<Long, String>, String> groups() {
        return thread -> {
            String name = thread.getValue();
            if (name.startsWith("vert.x-")) {
                return threadsBeforeBridge.contains(thread.getKey()) ? "gateway_http"
                        : threadsBeforeClient.contains(thread.getKey()) ? "bridge_http" : "bench_http_client";
            }
            if (name.endsWith("| api-gateway")) {
                return "gateway_producer";
            }
            if (name.endsWith("| bench-bridge")) {
                return "bridge_producer";
            }
            if (name.endsWith("| bench-raw-producer")) {
                return "raw_producer";
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
    private static LatencyRecorder paced(int rate, int seconds, Consumer<Consumer<String>> sendOne)
            throws InterruptedException {
        int total = rate * seconds;
        var recorder = new LatencyRecorder(total);
        var finished = new CountDownLatch(total);
        long interval = 1_000_000_000L / rate;
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
    private static LatencyRecorder saturated(int seconds, Consumer<Consumer<String>> sendOne)
            throws InterruptedException {
        var recorder = new LatencyRecorder(SATURATED_SAMPLES_PER_SECOND * seconds);
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
