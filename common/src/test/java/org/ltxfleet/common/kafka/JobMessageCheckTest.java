package org.ltxfleet.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.job.ValidationProblem;
import org.ltxfleet.common.json.Json;

class JobMessageCheckTest {

    private static ObjectNode sound() {
        ObjectNode message = Json.object().put("schema_version", 1).put("request_id", "0b6c3f0e-1d2a-4a55-9d3e-2f1f6a7b8c9d")
                .put("key_id", "team-a").put("endpoint", "fal-ai/ltx23-trainer-v2/interpolate")
                .put("submitted_at", "2026-12-07T10:00:00Z").put("webhook_url", "https://hooks.example.com/ltx")
                .put("priority", "normal").put("idempotency_key", "batch-7")
                .put("body_sha256", "a".repeat(64)).put("start_by", "2026-12-07T11:00:00Z")
                .put("output_expiration_seconds", 3_153_600_000L);
        message.putObject("input").put("training_data_url", "https://data.example.com/clips.zip");
        return message;
    }

    private static JobMessageCheck.Checked read(ObjectNode message) {
        return JobMessageCheck.read(Json.toBytes(message));
    }

    @Test
    void aSoundMessageIsAJobWithAnyRetentionAClientCanMean() {
        var checked = read(sound());
        assertThat(checked.sound()).isTrue();
        assertThat(checked.job().outputExpirationSeconds()).isEqualTo(3_153_600_000L); // ten years, as fal allows
        assertThat(read((ObjectNode) sound().without(List.of("webhook_url", "priority", "idempotency_key",
                "body_sha256", "start_by", "output_expiration_seconds", "endpoint", "submitted_at"))).sound()).isTrue();
    }

    @Test
    void everyHostileFieldFailsTheJobNamingTheField() {
        Map<String, Object> hostile = Map.ofEntries(
                Map.entry("output_expiration_seconds", 9e18),
                Map.entry("schema_version", 99),
                Map.entry("endpoint", "x".repeat(10_000)),
                Map.entry("submitted_at", "+999999-01-01T00:00:00Z"),
                Map.entry("webhook_url", "gopher://hooks.example.com/"),
                Map.entry("priority", "urgent"),
                Map.entry("idempotency_key", "line\nbreak"),
                Map.entry("body_sha256", "not-hex"),
                Map.entry("start_by", "-500000-01-01T00:00:00Z"));
        hostile.forEach((field, value) -> {
            ObjectNode message = sound();
            message.set(field, Json.toTree(value));
            var checked = read(message);
            assertThat(checked.skip()).as(field).isNull();
            assertThat(checked.requestId()).as(field).isEqualTo("0b6c3f0e-1d2a-4a55-9d3e-2f1f6a7b8c9d");
            assertThat(checked.problems()).as(field).extracting(ValidationProblem::loc).containsExactly(List.of("message", field));
        });
    }

    @Test
    void aFieldOfTheWrongTypeFailsTheJobWithoutJavaNames() {
        ObjectNode message = sound();
        message.put("output_expiration_seconds", "ninety");
        var checked = read(message);
        assertThat(checked.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.loc()).containsExactly("message", "output_expiration_seconds");
            assertThat(problem.msg()).doesNotContain("java", "Long", "jackson");
        });
        message.put("output_expiration_seconds", 1e30); // beyond a long
        assertThat(read(message).problems()).extracting(ValidationProblem::loc)
                .containsExactly(List.of("message", "output_expiration_seconds"));
    }

    @Test
    void aRecordWithoutASoundIdentityIsSkippedNotFailed() {
        for (ObjectNode message : List.of(
                sound().put("request_id", "../../jobs/other/outputs"),
                sound().put("request_id", "r".repeat(129)),
                sound().put("key_id", ""),
                sound().put("key_id", "k\u0000"),
                (ObjectNode) sound().without("key_id"),
                sound().put("request_id", 7))) {
            var checked = read(message);
            assertThat(checked.skip()).as(message.toString().substring(0, 80)).isNotNull();
            assertThat(checked.sound()).isFalse();
        }
        assertThat(JobMessageCheck.read("{not json".getBytes(StandardCharsets.UTF_8)).skip()).isEqualTo("not JSON");
        assertThat(JobMessageCheck.read("null".getBytes(StandardCharsets.UTF_8)).skip()).isNotNull();
    }
}
