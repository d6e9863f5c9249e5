package org.ltxfleet.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.json.Json;

class JobMessageSchemaTest {

    @Test
    void publishedSchemaMatchesTheRecord() throws Exception {
        Path published = Path.of("..").resolve(JobMessageSchema.PUBLISHED_PATH);
        assertThat(Files.readString(published))
                .as("docs/schema/job-message.schema.json is stale; regenerate it with "
                        + "./mvnw -q -pl common exec:java -Dexec.mainClass=org.ltxfleet.common.kafka.JobMessageSchema "
                        + "-Dexec.args=../" + JobMessageSchema.PUBLISHED_PATH)
                .isEqualTo(JobMessageSchema.render());
    }

    @Test
    void schemaUsesWireNamesAndRequiresTheIdentity() {
        JsonNode schema = JobMessageSchema.generate();
        assertThat(schema.path("properties").has("request_id")).isTrue();
        assertThat(schema.path("properties").has("submitted_at")).isTrue();
        assertThat(schema.path("properties").has("requestId")).isFalse();
        assertThat(schema.path("required")).extracting(JsonNode::asText)
                .contains("schema_version", "request_id", "key_id", "input");
    }

    @Test
    void messageRoundTripsThroughJson() {
        var job = new JobMessage(1, "r1", "k1", "fal-ai/ltx23-trainer-v2/interpolate", Instant.parse(
                "2026-01-01T00:00:00Z"), "https://hooks.example/x", "normal", "idem", "abc",
                Json.readTree("{\"training_data_url\":\"https://e/x.zip\"}".getBytes()), null, null);
        JsonNode json = Json.toTree(job);
        assertThat(json.get("submitted_at").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(Json.fromTree(json, JobMessage.class)).isEqualTo(job);
    }

    @Test
    void noRetryAsksForOneAttemptAndMessagesWithoutItAreRetried() {
        String written = "{\"schema_version\":1,\"request_id\":\"r1\",\"key_id\":\"k1\",\"input\":{}";
        assertThat(Json.fromBytes((written + "}").getBytes(), JobMessage.class).retried()).isTrue();
        assertThat(Json.fromBytes((written + ",\"no_retry\":false}").getBytes(), JobMessage.class).retried()).isTrue();
        JobMessage once = Json.fromBytes((written + ",\"no_retry\":true}").getBytes(), JobMessage.class);
        assertThat(once.retried()).isFalse();
        assertThat(once.onTopic(Topics.JOBS_LOW).retried()).as("kept when read off a topic").isFalse();

        String ready = "{\"schema_version\":1,\"request_id\":\"r1\",\"key_id\":\"k1\",\"bundle_key\":\"datasets/x/\"";
        assertThat(Json.fromBytes((ready + "}").getBytes(), ReadyMessage.class).retried()).isTrue();
        assertThat(Json.fromBytes((ready + ",\"no_retry\":true}").getBytes(), ReadyMessage.class).retried()).isFalse();
    }
}
