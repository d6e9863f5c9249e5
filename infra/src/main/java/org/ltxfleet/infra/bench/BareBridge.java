package org.ltxfleet.infra.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.JobMessage;
import org.ltxfleet.common.kafka.Records;
import org.ltxfleet.gateway.GatewaySettings;

/**
 * The least an HTTP front of Kafka does, as the reference the gateway is measured against: it
 * parses the JSON body, writes it as a job record with the gateway's producer settings (acks=all,
 * idempotent) and answers 200 once Kafka has acknowledged it. No authentication, validation,
 * placement, idempotency or projection: whatever the gateway costs beyond this, those cost.
 *
 * <p>It sends from the event loop, as a bridge without the gateway's care would (the topic's
 * metadata is fetched at start, so {@code send} does not wait for it), and answers on the
 * request's event loop. Its threads are a Vert.x instance and a producer of its own, so a
 * benchmark can tell its CPU from the gateway's.
 */
final class BareBridge implements AutoCloseable {

    private final Vertx vertx;
    private final KafkaProducer<String, byte[]> producer;
    private final int port;

    private BareBridge(Vertx vertx, KafkaProducer<String, byte[]> producer, int port) {
        this.vertx = vertx;
        this.producer = producer;
        this.port = port;
    }

    /**
     * A bridge listening on {@code host} (a free port) with {@code instances} verticles, as the
     * gateway runs, writing to {@code topic} with a producer made of {@code producerSettings}.
     */
    static BareBridge start(String host, int instances, Properties producerSettings, String topic) throws Exception {
        var producer = new KafkaProducer<String, byte[]>(producerSettings);
        Vertx vertx = Vertx.vertx();
        try {
            producer.partitionsFor(topic);
            // Every instance binds the same port, so "any free port" is chosen once, as the gateway does.
            int port = freePort();
            vertx.deployVerticle(() -> new Endpoint(host, port, producer, topic),
                            new DeploymentOptions().setInstances(instances))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new BareBridge(vertx, producer, port);
        } catch (Exception | Error e) {
            vertx.close();
            producer.close(Duration.ZERO);
            throw e;
        }
    }

    int port() {
        return port;
    }

    /** The record every reference path writes for a parsed body: a job as the gateway would write it, unchecked. */
    static JobMessage job(JsonNode input) {
        return new JobMessage(JobMessage.SCHEMA_VERSION, UUID.randomUUID().toString(), "bench",
                GatewaySettings.ENDPOINT_ID, Instant.now(), null, null, null, null, input, null, null);
    }

    @Override
    public void close() throws Exception {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** One event loop's HTTP server: every request is a submit, whatever its method and path. */
    private static final class Endpoint extends VerticleBase {

        private final String host;
        private final int port;
        private final KafkaProducer<String, byte[]> producer;
        private final String topic;

        Endpoint(String host, int port, KafkaProducer<String, byte[]> producer, String topic) {
            this.host = host;
            this.port = port;
            this.producer = producer;
            this.topic = topic;
        }

        @Override
        public Future<?> start() {
            return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                    .requestHandler(request -> request.body().onSuccess(body -> submit(request, body)))
                    .listen();
        }

        private void submit(HttpServerRequest request, Buffer body) {
            JsonNode input;
            try {
                input = Json.readTree(body.getBytes());
            } catch (UncheckedIOException e) {
                answer(request, 400, "not JSON");
                return;
            }
            var job = job(input);
            Context context = vertx.getOrCreateContext();
            producer.send(Records.job(job, topic), (metadata, error) -> context.runOnContext(v -> {
                if (error == null) {
                    answer(request, 200, job.requestId());
                } else {
                    answer(request, 503, error.getClass().getSimpleName());
                }
            }));
        }

        private static void answer(HttpServerRequest request, int status, String requestIdOrProblem) {
            var body = Json.object().put(status == 200 ? "request_id" : "detail", requestIdOrProblem);
            request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(Json.toBytes(body)));
        }
    }

    private static int freePort() throws java.io.IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
