package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.s3.ObjectStore;
import org.ltxfleet.common.s3.S3Settings;
import org.ltxfleet.infra.client.FleetClient;
import org.ltxfleet.infra.stack.FleetStack;

/**
 * Every lifecycle fal documents on a submit (issue #27): any positive number of seconds, however
 * large, and {@code null} for no expiration, which keeps the outputs even over the fleet's default
 * retention ({@code gateway.output.retention.seconds}, here 2 s, which deletes a job's outputs that asks nothing).
 */
class SubmitLifecycleIT {

    private static TestStacks.Scripted scripted;
    private static FleetStack stack;
    private static FleetClient client;
    private static ObjectStore store;

    @BeforeAll
    static void start() throws Exception {
        scripted = TestStacks.startScripted("fleet-it-submit-lifecycle", "gateway.output.retention.seconds=2\n");
        stack = scripted.stack();
        client = TestStacks.client(stack);
        store = ObjectStore.open(S3Settings.from(stack.config()));
    }

    @AfterAll
    static void stop() {
        store.close();
        scripted.close();
    }

    @Test
    void hugeAndNullExpirationsAreAcceptedAndKeepTheOutputs() throws Exception {
        var kept = new ArrayList<String>();
        for (String lifecycle : List.of("{\"expiration_duration_seconds\":3153600000}",
                "{\"expiration_duration_seconds\":1e300}", "{\"expiration_duration_seconds\":null}")) {
            var reply = submit(lifecycle);
            assertThat(reply.statusCode()).as(lifecycle + " → " + reply.body()).isEqualTo(200);
            kept.add(Json.readTree(reply.body().getBytes()).get("request_id").asText());
        }
        String byDefault = Json.readTree(submit(null).body().getBytes()).get("request_id").asText();
        for (String id : kept) {
            // Links are signed for their usual 7 days: a retention of centuries neither shortens nor overflows them.
            assertThat(awaitResult(id).get("lora_file").get("url").asText()).contains("X-Amz-Expires=604800");
        }
        awaitResult(byDefault);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> !store.exists(lora(byDefault)));
        for (String id : kept) {
            assertThat(store.exists(lora(id))).as("outputs of %s", id).isTrue();
        }
    }

    private static String lora(String requestId) {
        return "jobs/" + requestId + "/outputs/lora.safetensors";
    }

    private static HttpResponse<String> submit(String lifecycle) throws Exception {
        return TestStacks.submitWithLifecycle(stack, lifecycle);
    }

    private static JsonNode awaitResult(String id) {
        return TestStacks.awaitResult(client, id);
    }
}
