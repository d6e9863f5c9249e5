package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.ReadyMessage;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.common.s3.ObjectStore;
import org.ltxfleet.common.s3.S3Settings;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.infra.client.FleetClient;
import org.ltxfleet.infra.stack.FleetStack;
import org.ltxfleet.infra.stack.StackOptions;
import org.ltxfleet.preprocess.PreprocessWorker;

/**
 * fal's {@code x-fal-no-retry} through the real gateway and preprocess worker: when an attempt
 * fails for a reason the workers retry (here the store hands back a cached dataset's manifest that
 * cannot be read), a job submitted with the header ends FAILED after that one attempt while a job
 * without it is tried {@code worker.max.attempts} times; the flag rides the job on to
 * {@code ltx.ready}, where the train stage reads it.
 */
@CpuBound(seconds = 30)
class NoRetryIT {

    /** What the preprocess worker logs once per attempt, before anything can fail. */
    private static final String ATTEMPT_LINE = "preprocess: downloading training_data_url";
    private static final Pattern STORED_AT = Pattern.compile("stored them at (datasets/[^ ]+/)$");

    @Test
    void aJobSentWithXFalNoRetryFailsAfterOneAttemptWhereAJobWithoutItIsRetried(@TempDir Path dir) throws Exception {
        try (FleetStack stack = TestStacks.start(StackOptions.forTests(dir).withWorkers(false));
             var preprocess = PreprocessWorker.start(stack.config().with("worker.name", "no-retry-it")
                     .with("worker.max.attempts", "2"));
             var store = ObjectStore.open(S3Settings.from(stack.config()))) {
            FleetClient client = TestStacks.client(stack);
            String input = Json.toString(TestStacks.smallJob(TestStacks.sampleDataset(stack, 1), 100));

            String prepared = requestId(submit(stack, input, "1"));
            String bundleKey = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                    .until(() -> storedAt(client.status(prepared, true).body()), key -> key != null);
            var ready = TopicScan.withKey(stack.kafkaBootstrap(), List.of(Topics.READY), prepared);
            assertThat(ready).singleElement().satisfies(record ->
                    assertThat(Json.fromBytes(record.value(), ReadyMessage.class).retried())
                            .as("the train stage is told to attempt it once").isFalse());

            // Every later job on this archive and these settings hits the cache, and fails there as
            // a store fault would: a failure the workers retry.
            store.put(bundleKey + "manifest.json", "not a manifest".getBytes(StandardCharsets.UTF_8), "application/json");
            String once = requestId(submit(stack, input, "true"));
            String retried = requestId(submit(stack, input, null));

            JsonNode onceStatus = TestStacks.awaitOutcome(client, once, Duration.ofMinutes(2));
            JsonNode retriedStatus = TestStacks.awaitOutcome(client, retried, Duration.ofMinutes(2));
            assertThat(onceStatus.path("state").asText()).as(onceStatus.toString()).isEqualTo("FAILED");
            assertThat(attempts(onceStatus)).isEqualTo(1);
            assertThat(onceStatus.path("error").asText()).contains("not retried as the job asked (x-fal-no-retry)");
            assertThat(retriedStatus.path("state").asText()).as(retriedStatus.toString()).isEqualTo("FAILED");
            assertThat(attempts(retriedStatus)).isEqualTo(2);
            assertThat(retriedStatus.path("error").asText()).doesNotContain("not retried");
        }
    }

    @Test
    void aValueThatIsNeitherYesNorNoIsRefusedNamingTheHeader() throws Exception {
        FleetStack stack = TestStacks.scripted();
        String input = "{\"training_data_url\":\"https://example.com/c.zip\"}";

        HttpResponse<String> refused = submit(stack, input, "maybe");

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.headers().firstValue("X-Fal-Error-Type")).hasValue("validation_error");
        JsonNode problem = Json.readTree(refused.body().getBytes(StandardCharsets.UTF_8)).path("detail").path(0);
        assertThat(problem.path("loc").toString()).isEqualTo("[\"header\",\"x-fal-no-retry\"]");
        assertThat(submit(stack, input, "no").statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> submit(FleetStack stack, String body, String noRetry) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/" + GatewaySettings.ENDPOINT_ID))
                .header("Authorization", "Key " + stack.apiKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (noRetry != null) {
            request.header("x-fal-no-retry", noRetry);
        }
        try (var http = HttpClient.newHttpClient()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static String requestId(HttpResponse<String> accepted) {
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        return Json.readTree(accepted.body().getBytes(StandardCharsets.UTF_8)).path("request_id").asText();
    }

    /** Where the job's preprocessing stored its dataset, once its log says so; null before. */
    private static String storedAt(JsonNode status) {
        for (JsonNode line : status.path("logs")) {
            Matcher stored = STORED_AT.matcher(line.path("message").asText());
            if (stored.find()) {
                return stored.group(1);
            }
        }
        return null;
    }

    private static long attempts(JsonNode status) {
        return StreamSupport.stream(status.path("logs").spliterator(), false)
                .filter(line -> line.path("message").asText().equals(ATTEMPT_LINE)).count();
    }
}
