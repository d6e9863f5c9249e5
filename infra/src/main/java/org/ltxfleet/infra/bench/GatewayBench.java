package org.ltxfleet.infra.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
 */
public final class GatewayBench {

    static final String BODY = """
            {"training_data_url":"https://example.com/clips.zip","trigger_phrase":"bench","rank":16,
             "number_of_steps":500,"resolution":"low","aspect_ratio":"1:1"}""";

    private final FleetStack fleet;
    private final int rate;
    private final int seconds;

    /** A benchmark of the stack's gateway at {@code rate} requests/s for {@code seconds}. */
    public GatewayBench(FleetStack fleet, int rate, int seconds) {
        this.fleet = fleet;
        this.rate = rate;
        this.seconds = seconds;
    }

    /**
     * Runs warm-ups, then both paced phases (the target rate), then both saturated phases (as many
     * as {@value #CONCURRENCY} requests in flight: the most each path can take); returns the figures.
     */
    public Map<String, Object> run() throws Exception {
        Load paced = this::paced;
        Load saturated = this::saturated;
        runProducer(Math.max(1, seconds / 3), paced);
        runGateway(Math.max(1, seconds / 3), paced);
        Phase producer = runProducer(seconds, paced);
        Phase gateway = runGateway(seconds, paced);
        Phase producerMax = runProducer(seconds, saturated);
        Phase gatewayMax = runGateway(seconds, saturated);
        var result = new LinkedHashMap<String, Object>();
        result.put("target_rate_per_s", rate);
        result.put("seconds", seconds);
        result.put("gateway_accepted_per_s", round(gateway.perSecond()));
        result.put("gateway_p50_ms", round(gateway.recorder.percentileMs(0.50)));
        result.put("gateway_p99_ms", round(gateway.recorder.percentileMs(0.99)));
        result.put("gateway_errors", gateway.recorder.failures());
        result.put("kafka_acked_per_s", round(producer.perSecond()));
        result.put("kafka_p50_ms", round(producer.recorder.percentileMs(0.50)));
        result.put("kafka_p99_ms", round(producer.recorder.percentileMs(0.99)));
        result.put("kafka_errors", producer.recorder.failures());
        result.put("ratio_gateway_to_kafka", round(gateway.perSecond() / producer.perSecond()));
        result.put("gateway_max_per_s", round(gatewayMax.perSecond()));
        result.put("kafka_max_per_s", round(producerMax.perSecond()));
        result.put("ratio_max_gateway_to_kafka", round(gatewayMax.perSecond() / producerMax.perSecond()));
        return result;
    }

    private record Phase(LatencyRecorder recorder, double elapsedSeconds) {
        double perSecond() {
            return recorder.successes() / elapsedSeconds;
        }
    }

    /** How requests are offered: paced at the target rate, or saturated. */
    @FunctionalInterface
    private interface Load {
        Phase apply(int durationSeconds, Consumer<Consumer<Boolean>> sendOne) throws InterruptedException;
    }

    static final int CONCURRENCY = 64;

    private Phase runProducer(int durationSeconds, Load load) throws Exception {
        var props = KafkaSettings.producer(fleet.kafkaBootstrap(), "bench-raw-producer");
        try (var producer = new KafkaProducer<String, byte[]>(props)) {
            return load.apply(durationSeconds, (done) -> {
                var job = new JobMessage(JobMessage.SCHEMA_VERSION, UUID.randomUUID().toString(), "bench",
                        GatewaySettings.ENDPOINT_ID, Instant.now(), null, null, null, null,
                        Json.readTree(BODY.getBytes()), null, null);
                producer.send(Records.job(job), (metadata, error) -> done.accept(error == null));
            });
        }
    }

    private Phase runGateway(int durationSeconds, Load load) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                    new PoolOptions().setHttp1MaxSize(128));
            var url = fleet.gatewayUrl();
            var options = new RequestOptions().setMethod(HttpMethod.POST).setHost(url.getHost())
                    .setPort(url.getPort()).setURI("/" + GatewaySettings.ENDPOINT_ID)
                    .putHeader("Authorization", "Key " + fleet.apiKey())
                    .putHeader("Content-Type", "application/json");
            Buffer body = Buffer.buffer(BODY);
            return load.apply(durationSeconds, done -> http.request(options)
                    .compose(req -> req.send(body))
                    .compose(resp -> resp.body().map(b -> resp.statusCode()))
                    .onComplete(ar -> done.accept(ar.succeeded() && ar.result() == 200)));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Issues one request per 1/rate seconds for the duration, then waits for the stragglers. */
    private Phase paced(int durationSeconds, Consumer<Consumer<Boolean>> sendOne) throws InterruptedException {
        int total = rate * durationSeconds;
        var recorder = new LatencyRecorder(total);
        var finished = new java.util.concurrent.CountDownLatch(total);
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            sendOne.accept(ok -> {
                if (ok) {
                    recorder.success(System.nanoTime() - due);
                } else {
                    recorder.failure();
                }
                finished.countDown();
            });
        }
        finished.await(60, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new Phase(recorder, elapsed);
    }

    /** Keeps {@link #CONCURRENCY} requests in flight for the duration; latency counts from each send. */
    private Phase saturated(int durationSeconds, Consumer<Consumer<Boolean>> sendOne) throws InterruptedException {
        var recorder = new LatencyRecorder(rate * durationSeconds * 20);
        long start = System.nanoTime();
        long deadline = start + durationSeconds * 1_000_000_000L;
        var permits = new java.util.concurrent.Semaphore(CONCURRENCY);
        while (System.nanoTime() < deadline) {
            permits.acquire();
            long sent = System.nanoTime();
            sendOne.accept(ok -> {
                if (ok) {
                    recorder.success(System.nanoTime() - sent);
                } else {
                    recorder.failure();
                }
                permits.release();
            });
        }
        permits.acquire(CONCURRENCY);
        return new Phase(recorder, (System.nanoTime() - start) / 1e9);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
