package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.KafkaSettings;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.gateway.Gateway;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.infra.client.FleetClient;
import org.ltxfleet.infra.stack.FleetStack;

/**
 * ltx.jobs is a public interface, so a direct producer's message is hostile input like a request
 * body: one hostile value in any field fails that job with 422 naming the field (the worker checks
 * every field, not only {@code input}); a record no one could see as a job is skipped; and none of
 * them stops the gateway's projection, another job's webhook, or a gateway that starts from a
 * snapshot holding them.
 */
@CpuBound(seconds = 20)
class HostileJobMessageIT {

    /** One hostile value per field; 9e18 seconds of retention once stopped every gateway. */
    private static final Map<String, Object> HOSTILE = Map.of(
            "output_expiration_seconds", 9e18,
            "schema_version", 99,
            "endpoint", "e".repeat(5_000),
            "submitted_at", "+999999-01-01T00:00:00Z",
            "webhook_url", "gopher://hooks.example.com/",
            "priority", "urgent",
            "idempotency_key", "line\nbreak",
            "body_sha256", "not-hex",
            "start_by", "+999999-01-01T00:00:00Z");

    @Test
    void aHostileFieldFailsItsJob422AndStopsNothingElse() throws Exception {
        FleetStack stack = TestStacks.withWorkers();
        FleetClient client = TestStacks.client(stack);
        String keyId = stack.apiKey().split(":")[0];
        var jobs = new LinkedHashMap<String, String>();
        try (var producer = new KafkaProducer<String, byte[]>(KafkaSettings.producer(stack.kafkaBootstrap(), "hostile-it"))) {
            for (var field : HOSTILE.entrySet()) {
                String requestId = "hostile-" + UUID.randomUUID();
                ObjectNode message = message(requestId, keyId);
                message.set(field.getKey(), Json.toTree(field.getValue()));
                producer.send(new ProducerRecord<>(Topics.JOBS, requestId, Json.toBytes(message))).get();
                jobs.put(field.getKey(), requestId);
            }
            // No job anyone could see: skipped by the gateway and the worker alike.
            producer.send(new ProducerRecord<>(Topics.JOBS, "escape", Json.toBytes(message("../jobs/x", keyId)))).get();
            producer.send(new ProducerRecord<>(Topics.JOBS, "junk", "{not json".getBytes(StandardCharsets.UTF_8))).get();
        }

        try (var receiver = new WebhookReceiver()) {
            String other = client.submit("{\"training_data_url\":\"http://127.0.0.1:9/nothing-here.zip\"}",
                    receiver.url("/hook").toString()).body().get("request_id").asText();
            for (var job : jobs.entrySet()) {
                JsonNode status = awaitEnded(client, job.getValue());
                assertThat(status.get("state").asText()).as(job.getKey()).isEqualTo("FAILED");
                var result = client.result(job.getValue());
                assertThat(result.status()).as(job.getKey()).isEqualTo(422);
                assertThat(result.body().get("error_type").asText()).isEqualTo("validation_error");
                assertThat(result.body().get("detail").get(0).get("loc").toString()).as(job.getKey())
                        .isEqualTo("[\"message\",\"" + job.getKey() + "\"]");
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.receivedFor(other).size() == 1);
        }
        String metrics = TestStacks.scrape(stack.gatewayMetricsUrl());
        assertThat(TestStacks.metricSum(metrics, "fleet_gateway_skipped_records_total")).isGreaterThanOrEqualTo(2);

        // A gateway that snapshots the projection holding them, then one that starts from that snapshot.
        var settings = stack.config().with("gateway.port", "0").with("gateway.snapshot.interval.seconds", "1");
        long fullReplay;
        try (Gateway snapshotting = Gateway.start(settings)) {
            fullReplay = replayed(snapshotting);
            Thread.sleep(3_000);
        }
        try (Gateway restarted = Gateway.start(settings)) {
            assertThat(replayed(restarted)).as("records replayed after the snapshot").isLessThan(fullReplay);
            var again = new FleetClient(URI.create("http://127.0.0.1:" + restarted.port()), stack.apiKey(),
                    GatewaySettings.ENDPOINT_ID);
            for (String requestId : jobs.values()) {
                assertThat(again.status(requestId, false).body().get("state").asText()).isEqualTo("FAILED");
            }
        }
    }

    /** The records the gateway's projection replayed at start-up: all of them, or those after its snapshot. */
    private static long replayed(Gateway gateway) throws Exception {
        String metrics = TestStacks.scrape(FleetStack.metricsUrl(gateway));
        return (long) TestStacks.metricSum(metrics, "fleet_gateway_replayed_records_total", "reader=\"projection\"");
    }

    /** A sound message but for what the test sets: a job whose data no worker fetches before it fails. */
    private static ObjectNode message(String requestId, String keyId) {
        ObjectNode message = Json.object().put("schema_version", 1).put("request_id", requestId).put("key_id", keyId)
                .put("endpoint", GatewaySettings.ENDPOINT_ID).put("submitted_at", java.time.Instant.now().toString());
        message.putObject("input").put("training_data_url", "http://127.0.0.1:9/never-fetched.zip");
        return message;
    }

    private static JsonNode awaitEnded(FleetClient client, String requestId) {
        return await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> client.status(requestId, true),
                        r -> r.status() == 200 && r.body().path("state").asText().matches("COMPLETED|FAILED|CANCELED"))
                .body();
    }
}
