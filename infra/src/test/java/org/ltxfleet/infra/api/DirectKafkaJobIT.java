package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.infra.client.FleetClient;
import org.ltxfleet.infra.examples.ProduceJobExample;
import org.ltxfleet.infra.stack.FleetStack;

/**
 * ltx.jobs is a public interface: jobs written by a user's own producer go through the real
 * workers and answer on the HTTP API exactly like submitted ones.
 */
@CpuBound(seconds = 20)
class DirectKafkaJobIT {

    private static FleetStack stack;
    private static FleetClient client;

    @BeforeAll
    static void start() throws Exception {
        stack = TestStacks.withWorkers();
        client = TestStacks.client(stack);
    }

    @Test
    void validJobFromAProducerIsPreprocessedByTheWorkerAndVisibleToItsKey() throws Exception {
        String requestId = UUID.randomUUID().toString();
        String keyId = stack.apiKey().split(":")[0];
        ProduceJobExample.produce(stack.kafkaBootstrap(), requestId, keyId,
                Json.toString(TestStacks.smallJob(TestStacks.sampleDataset(stack, 3), 100)));

        JsonNode status = awaitCompleted(requestId);
        assertThat(status.get("logs")).extracting(l -> l.get("message").asText())
                .anyMatch(m -> m.startsWith("preprocess: 3 clip(s) found"))
                .anyMatch(m -> m.contains("clip_000.mp4: 3 sample(s)"));
        assertThat(status.get("state").asText()).isEqualTo("COMPLETED");
        var result = client.result(requestId);
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body().get("lora_file").get("url").asText()).contains("/outputs/lora.safetensors");
        assertThat(TestStacks.otherClient(stack).status(requestId, false).status()).isEqualTo(404);
    }

    @Test
    void aJobPastItsDeadlineToStartEnds504UnbilledAndIsNeverRun() throws Exception {
        String requestId = UUID.randomUUID().toString();
        String keyId = stack.apiKey().split(":")[0];
        var job = new org.ltxfleet.common.kafka.JobMessage(1, requestId, keyId, GatewaySettings.ENDPOINT_ID,
                java.time.Instant.now().minusSeconds(10), null, null, null, null,
                Json.readTree("{\"training_data_url\":\"http://127.0.0.1:9/never-fetched.zip\"}".getBytes()),
                java.time.Instant.now().minusSeconds(5), null);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(
                org.ltxfleet.common.kafka.KafkaSettings.producer(stack.kafkaBootstrap(), "deadline-it"))) {
            producer.send(org.ltxfleet.common.kafka.Records.job(job)).get();
        }
        JsonNode status = awaitCompleted(requestId);
        assertThat(status.get("state").asText()).isEqualTo("FAILED");
        assertThat(status.get("error_type").asText()).isEqualTo("request_timeout");
        assertThat(status.get("logs").toString()).doesNotContain("downloading");
        var result = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(stack.gatewayUrl() + GatewaySettings.APP_PATH + "/requests/" + requestId))
                .header("Authorization", "Key " + stack.apiKey()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(result.statusCode()).isEqualTo(504);
        assertThat(result.headers().firstValue("X-Fal-Request-Timeout-Type")).contains("user");
        assertThat(result.headers().firstValue("X-Fal-Error-Type")).contains("request_timeout");
    }

    @Test
    void invalidJobFromAProducerFailsWithTheGatewaysValidationDetail() throws Exception {
        String bad = "{\"training_data_url\":\"ftp://example.com/clips.zip\",\"rank\":7}";
        var http = client.submit(bad);
        assertThat(http.status()).isEqualTo(422);

        String requestId = UUID.randomUUID().toString();
        ProduceJobExample.produce(stack.kafkaBootstrap(), requestId, stack.apiKey().split(":")[0], bad);
        JsonNode status = awaitCompleted(requestId);
        assertThat(status.get("error_type").asText()).isEqualTo("validation_error");
        var result = client.result(requestId);
        assertThat(result.status()).isEqualTo(422);
        assertThat(result.body().get("detail")).isEqualTo(http.body().get("detail"));
        assertThat(result.body().get("error_type").asText()).isEqualTo("validation_error");
    }

    @Test
    void unreachableTrainingDataFailsTheJobNamingTheField() throws Exception {
        var reply = client.submit("{\"training_data_url\":\"http://127.0.0.1:9/nothing-listens-here.zip\"}");
        String requestId = reply.body().get("request_id").asText();
        JsonNode status = awaitCompleted(requestId);
        assertThat(status.get("state").asText()).isEqualTo("FAILED");
        var result = client.result(requestId);
        assertThat(result.status()).isEqualTo(422);
        assertThat(result.body().get("error_type").asText()).isEqualTo("download_failed");
        assertThat(result.body().get("detail").get(0).get("loc").toString())
                .isEqualTo("[\"body\",\"training_data_url\"]");
    }

    @Test
    void archiveWithImagesFailsWith422NamingThem() throws Exception {
        Path zip = Files.createTempFile("fleet-it-images", ".zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new java.util.zip.ZipEntry("still.png"));
            out.write(new byte[] {1, 2, 3});
            out.closeEntry();
        }
        String url = stack.publish("it/images.zip", zip);
        String requestId = client.submit("{\"training_data_url\":\"" + url + "\"}").body().get("request_id").asText();
        awaitCompleted(requestId);
        var result = client.result(requestId);
        assertThat(result.status()).isEqualTo(422);
        assertThat(result.body().get("detail").get(0).get("msg").asText()).contains("still.png");
    }

    @Test
    void laterRecordsOfARequestIdAreSkippedWhateverKeyWroteThem() throws Exception {
        String requestId = UUID.randomUUID().toString();
        String keyId = stack.apiKey().split(":")[0];
        // The first record is the job (an invalid input ends it at once, without training).
        ProduceJobExample.produce(stack.kafkaBootstrap(), requestId, keyId, "{\"training_data_url\":\"ftp://x/y.zip\"}");
        assertThat(awaitCompleted(requestId).get("error_type").asText()).isEqualTo("validation_error");
        // Another key reuses the id with a job that would run, then the owner sends its job again.
        ProduceJobExample.produce(stack.kafkaBootstrap(), requestId, "other-key",
                "{\"training_data_url\":\"http://127.0.0.1:9/other.zip\"}");
        var last = ProduceJobExample.produce(stack.kafkaBootstrap(), requestId, keyId,
                "{\"training_data_url\":\"http://127.0.0.1:9/again.zip\"}");

        var partition = new org.apache.kafka.common.TopicPartition(last.topic(), last.partition());
        try (var admin = org.apache.kafka.clients.admin.Admin.create(
                java.util.Map.<String, Object>of("bootstrap.servers", stack.kafkaBootstrap()))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                var committed = admin.listConsumerGroupOffsets(org.ltxfleet.preprocess.PreprocessWorker.GROUP)
                        .partitionsToOffsetAndMetadata().get().get(partition);
                return committed != null && committed.offset() > last.offset();
            });
        }
        // Both were read and skipped: the job's events are still only its own first record's.
        assertThat(eventsOf(requestId)).extracting(e -> e.type() + " " + e.keyId())
                .containsExactly("FAILED " + keyId);
        assertThat(TestStacks.otherClient(stack).status(requestId, false).status()).isEqualTo(404);
    }

    private static java.util.List<org.ltxfleet.common.event.JobEvent> eventsOf(String requestId) {
        return TopicScan.withKey(stack.kafkaBootstrap(), java.util.List.of(org.ltxfleet.common.kafka.Topics.EVENTS),
                requestId).stream().map(org.ltxfleet.common.kafka.Records::readEvent).toList();
    }

    private static JsonNode awaitCompleted(String requestId) {
        return await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> client.status(requestId, true),
                        r -> r.status() == 200 && r.body().path("state").asText().matches("COMPLETED|FAILED|CANCELED"))
                .body();
    }
}
