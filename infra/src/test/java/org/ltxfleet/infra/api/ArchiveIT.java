package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.JobEvent;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.job.FileRef;
import org.ltxfleet.common.job.TrainingOutput;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.BillingRecord;
import org.ltxfleet.common.kafka.KafkaSettings;
import org.ltxfleet.common.kafka.Records;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.common.s3.ObjectStore;
import org.ltxfleet.common.s3.S3Settings;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.gateway.projection.JobArchive;
import org.ltxfleet.infra.stack.StackOptions;

/**
 * The gateway's memory holds live and recent jobs only: a job that ended longer ago than the log
 * retention is written to the store ({@code jobs/{id}/status.json}) and leaves the projection, and
 * its status, result and webhook attempts answer from there, to its owner only. A charge of a job
 * that failed before it completed stays unbilled after the job left.
 */
class ArchiveIT {

    @Test
    void aJobPastTheRetentionLeavesMemoryAndStillAnswersFromTheStore() throws Exception {
        var dir = Files.createTempDirectory("fleet-it-archive");
        Files.writeString(dir.resolve("fleet.properties"), "gateway.logs.retention.hours=1\n");
        try (var stack = TestStacks.start(StackOptions.forTests(dir).withWorkers(false));
             var store = ObjectStore.open(S3Settings.from(stack.config()))) {
            String keyId = stack.apiKey().split(":")[0];
            Instant ended = Instant.now().minus(Duration.ofHours(2));
            String done = "archived-" + java.util.UUID.randomUUID();
            String failedFirst = "failed-first-" + java.util.UUID.randomUUID();
            String waiting = TestStacks.client(stack).submit(GatewayIT.VALID).body().get("request_id").asText();
            var output = new TrainingOutput(new FileRef("https://store.example/" + done + "/lora.safetensors",
                    "application/octet-stream", "lora.safetensors", 1234), null, null, null);
            try (var producer = new KafkaProducer<String, byte[]>(KafkaSettings.producer(stack.kafkaBootstrap(), "it"))) {
                for (String id : new String[] {done, failedFirst}) {
                    var message = Json.object().put("schema_version", 1).put("request_id", id).put("key_id", keyId)
                            .put("endpoint", GatewaySettings.ENDPOINT_ID)
                            .put("submitted_at", ended.minusSeconds(600).toString());
                    message.putObject("input").put("training_data_url", "https://data.example/clips.zip");
                    producer.send(new ProducerRecord<>(Topics.JOBS, id, Json.toBytes(message))).get();
                    producer.send(Records.event(event(id, keyId, EventType.STARTED,
                            new Payloads.Started("train", "w"), ended.minusSeconds(300)))).get();
                }
                producer.send(Records.event(event(failedFirst, keyId, EventType.FAILED, new Payloads.Failed(500,
                        "internal_error", Json.toTree("gave up"), "train"), ended))).get();
                for (String id : new String[] {done, failedFirst}) {
                    producer.send(Records.event(event(id, keyId, EventType.COMPLETED,
                            new Payloads.Completed(output, 60.0), ended))).get();
                    producer.send(Records.billing(BillingRecord.of(id, keyId, GatewaySettings.ENDPOINT_ID, 10,
                            Instant.now()))).get();
                }
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> store.exists(JobArchive.key(done))
                    && store.exists(JobArchive.key(failedFirst)));
            var projection = stack.gateway().services().projection();
            await().atMost(Duration.ofSeconds(30)).until(() -> projection.find(done, keyId).isEmpty()
                    && projection.find(failedFirst, keyId).isEmpty());
            assertThat(projection.find(waiting, keyId)).as("a live job stays").isPresent();

            var client = TestStacks.client(stack);
            var status = client.status(done, false);
            assertThat(status.status()).isEqualTo(200);
            assertThat(status.body().get("state").asText()).isEqualTo("COMPLETED");
            var result = client.result(done);
            assertThat(result.status()).isEqualTo(200);
            assertThat(result.rawBody()).contains("lora.safetensors");
            assertThat(client.status(failedFirst, false).body().get("state").asText()).isEqualTo("FAILED");
            assertThat(TestStacks.otherClient(stack).status(done, false).status()).as("another key").isEqualTo(404);
            assertThat(client.status("no-such-job", false).status()).isEqualTo(404);
            // The charge of the job that failed first stays refused once the job left the projection.
            await().atMost(Duration.ofSeconds(30)).until(() -> TestStacks.billedRecently(stack) == 1);
        }
    }

    private static JobEvent event(String id, String keyId, EventType type, Object payload, Instant at) {
        var event = JobEvent.of(id, keyId, type, "archive-it", payload);
        return new JobEvent(event.specVersion(), event.eventId(), id, keyId, type, at, "archive-it", event.payload());
    }
}
