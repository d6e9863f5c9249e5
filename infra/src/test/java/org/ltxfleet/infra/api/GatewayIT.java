package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.JobMessage;
import org.ltxfleet.common.kafka.KafkaSettings;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.infra.client.FleetClient;
import org.ltxfleet.infra.stack.FleetStack;

/** The public API against the real embedded broker and store, with a scripted pipeline behind it. */
// One class at a time on the shared TestStacks.scripted() stack (GatewayIT counts its backlog).
@ResourceLock("scripted-stack")
class GatewayIT {

    static final String VALID = "{\"training_data_url\":\"https://example.com/clips.zip\",\"number_of_steps\":100}";

    private static FleetStack stack;
    private static FleetClient client;

    @BeforeAll
    static void start() throws Exception {
        stack = TestStacks.scripted();
        client = TestStacks.client(stack);
    }

    private static String submit(String body) throws Exception {
        var reply = client.submit(body);
        assertThat(reply.status()).as(reply.rawBody()).isEqualTo(200);
        return reply.body().get("request_id").asText();
    }

    private static JsonNode awaitCompleted(String requestId) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> client.status(requestId, true), r -> r.status() == 200).body();
    }

    @Test
    void submitAnswersFalsShapeAndWritesTheJobToKafka() throws Exception {
        var reply = client.submit(VALID);
        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.body();
        String id = body.get("request_id").asText();
        String base = stack.gatewayUrl() + GatewaySettings.APP_PATH + "/requests/" + id;
        assertThat(body.get("response_url").asText()).isEqualTo(base);
        assertThat(body.get("status_url").asText()).isEqualTo(base + "/status");
        assertThat(body.get("cancel_url").asText()).isEqualTo(base + "/cancel");
        assertThat(body.get("queue_position").isInt()).isTrue();

        JobMessage job = readJob(id);
        assertThat(job.keyId()).isEqualTo(stack.apiKey().split(":")[0]);
        assertThat(job.input().get("training_data_url").asText()).isEqualTo("https://example.com/clips.zip");
        assertThat(job.endpoint()).isEqualTo(GatewaySettings.ENDPOINT_ID);
    }

    @Test
    void jobRunsToCompletionWithLogsMetricsAndResult() throws Exception {
        String id = submit(VALID);
        JsonNode status = awaitCompleted(id);
        assertThat(status.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(status.get("logs")).extracting(l -> l.get("message").asText())
                .contains(ScriptedWorker.LOG_LINE, "step 100/100");
        assertThat(status.get("logs").get(0).get("source").asText()).isEqualTo("USER");
        assertThat(status.get("metrics").get("inference_time").asDouble()).isPositive();
        assertThat(status.get("error").isNull()).isTrue();

        var result = client.result(id);
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body().get("lora_file").get("file_name").asText()).isEqualTo("lora.safetensors");
        assertThat(result.body().has("video")).isTrue();
        assertThat(result.body().get("video").isNull()).isTrue();
    }

    @Test
    void statusWithoutLogsAnswersNullLogs() throws Exception {
        String id = submit(VALID);
        awaitCompleted(id);
        assertThat(client.status(id, false).body().get("logs").isNull()).isTrue();
    }

    @Test
    void streamSendsStatusEventsUntilCompleted() throws Exception {
        String id = submit(VALID);
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        client.stream(id, events::add);
        assertThat(events).isNotEmpty();
        assertThat(events.get(events.size() - 1).get("status").asText()).isEqualTo("COMPLETED");
        List<String> logs = new ArrayList<>();
        events.forEach(e -> e.path("logs").forEach(l -> logs.add(l.get("message").asText())));
        // Each event carries only new lines: fal's client appends them, so none may repeat.
        assertThat(logs).containsExactly(ScriptedWorker.LOG_LINE, "step 100/100");
    }

    @Test
    void cancelStopsARunningJob() throws Exception {
        String id = submit("{\"training_data_url\":\"https://example.com/clips.zip\",\"trigger_phrase\":\"slow\"}");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> client.status(id, false).body().get("status").asText(), "IN_PROGRESS"::equals);
        var cancel = client.cancel(id);
        assertThat(cancel.status()).isEqualTo(202);
        assertThat(cancel.body().get("status").asText()).isEqualTo("CANCELLATION_REQUESTED");
        JsonNode status = awaitCompleted(id);
        assertThat(status.get("error").asText()).contains("cancelled");
        assertThat(status.get("error_type").asText()).isEqualTo("client_cancelled");
        var result = client.result(id);
        assertThat(result.status()).isEqualTo(499);
        assertThat(result.body().get("error_type").asText()).isEqualTo("client_cancelled");
        assertThat(raw("GET", GatewaySettings.APP_PATH + "/requests/" + id, null, null).headers()
                .firstValue("X-Fal-Error-Type")).contains("client_cancelled");
        var again = client.cancel(id);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.body().get("status").asText()).isEqualTo("ALREADY_COMPLETED");
    }

    @Test
    void anotherKeySeesNoJob() throws Exception {
        String id = submit(VALID);
        FleetClient other = TestStacks.otherClient(stack);
        assertThat(other.status(id, false).status()).isEqualTo(404);
        assertThat(other.result(id).status()).isEqualTo(404);
        assertThat(other.cancel(id).status()).isEqualTo(404);
        // As fal's queue answers a cancel of an id it does not know.
        assertThat(other.cancel(id).body().get("status").asText()).isEqualTo("NOT_FOUND");
        assertThat(other.cancel("no-such-request").body().get("status").asText()).isEqualTo("NOT_FOUND");
        assertThat(other.status("no-such-request", false).status()).isEqualTo(404);
        assertThat(other.status("no-such-request", false).body().get("error_type").asText()).isEqualTo("not_found");
        assertThat(other.status(id, false).body().get("detail").asText())
                .isEqualTo(other.status("no-such-request", false).body().get("detail").asText());
    }

    @Test
    void missingOrWrongKeyAnswers401() throws Exception {
        var wrong = new FleetClient(stack.gatewayUrl(), "test-key:not-the-secret", GatewaySettings.ENDPOINT_ID);
        var reply = wrong.submit(VALID);
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.body().get("detail").asText()).isNotBlank();
        assertJsonError(raw("GET", GatewaySettings.APP_PATH + "/requests/x/status", null, null, false), 401);
    }

    @Test
    void idempotencyKeyReplaysTheFirstAnswer() throws Exception {
        var first = rawSubmit(VALID, "idem-1");
        var second = rawSubmit(VALID, "idem-1");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        String firstId = Json.readTree(first.body().getBytes()).get("request_id").asText();
        assertThat(Json.readTree(second.body().getBytes()).get("request_id").asText()).isEqualTo(firstId);

        var otherBody = rawSubmit(VALID.replace("100", "200"), "idem-1");
        assertThat(otherBody.statusCode()).isEqualTo(422);
        assertThat(otherBody.body()).contains("Idempotency-Key");
        assertThat(rawSubmit(VALID, "idem-2").body()).doesNotContain(firstId);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{}|training_data_url|missing",
            "{\"training_data_url\":\"ftp://x/y.zip\"}|training_data_url|url_scheme",
            "{\"training_data_url\":\"https://x/y.zip\",\"rank\":12}|rank|literal_error",
            "{\"training_data_url\":\"https://x/y.zip\",\"rank\":\"big\"}|rank|int_type",
            "{\"training_data_url\":\"https://x/y.zip\",\"number_of_steps\":50}|number_of_steps|greater_than_equal",
            "{\"training_data_url\":\"https://x/y.zip\",\"number_of_steps\":1e12}|number_of_steps|less_than_equal",
            "{\"training_data_url\":\"https://x/y.zip\",\"learning_rate\":0}|learning_rate|greater_than",
            "{\"training_data_url\":\"https://x/y.zip\",\"include_middle_keyframe\":\"y\"}|include_middle_keyframe|bool_type",
            "{\"training_data_url\":\"https://x/y.zip\",\"number_of_frames\":200}|number_of_frames|less_than_equal",
            "{\"training_data_url\":\"https://x/y.zip\",\"frame_rate\":5}|frame_rate|greater_than_equal",
            "{\"training_data_url\":\"https://x/y.zip\",\"resolution\":\"4k\"}|resolution|literal_error",
            "{\"training_data_url\":\"https://x/y.zip\",\"aspect_ratio\":\"4:3\"}|aspect_ratio|literal_error",
            "{\"training_data_url\":\"https://x/y.zip\",\"auto_scale_input\":0}|auto_scale_input|bool_type",
            "{\"training_data_url\":\"https://x/y.zip\",\"split_input_into_scenes\":null,\"split_input_duration_threshold\":99}|split_input_duration_threshold|less_than_equal",
            "{\"training_data_url\":\"https://x/y.zip\",\"validation\":[{},{},{}]}|validation|too_long",
            "{\"training_data_url\":\"https://x/y.zip\",\"validation_negative_prompt\":5}|validation_negative_prompt|string_type",
            "{\"training_data_url\":\"https://x/y.zip\",\"validation_number_of_frames\":1}|validation_number_of_frames|greater_than_equal",
            "{\"training_data_url\":\"https://x/y.zip\",\"validation_frame_rate\":99}|validation_frame_rate|less_than_equal",
            "{\"training_data_url\":\"https://x/y.zip\",\"validation_resolution\":\"max\"}|validation_resolution|literal_error",
            "{\"training_data_url\":\"https://x/y.zip\",\"validation_aspect_ratio\":1}|validation_aspect_ratio|literal_error",
            "{\"training_data_url\":\"https://x/y.zip\",\"stg_scale\":4}|stg_scale|less_than_equal",
            "{\"training_data_url\":\"https://x/y.zip\",\"debug_dataset\":[]}|debug_dataset|bool_type",
            "{\"training_data_url\":\"https://x/y.zip\",\"trigger_phrase\":{}}|trigger_phrase|string_type",
            "{\"training_data_url\":null}|training_data_url|string_type",
            "{\"training_data_url\":\"http://203.0.113.10:99999/\"}|training_data_url|url_parsing",
            "{\"training_data_url\":\"http://203.0.113.10:0/\"}|training_data_url|url_parsing"})
    void everyRuleAnswers422NamingTheField(String body, String field, String type) throws Exception {
        var reply = client.submit(body);
        assertThat(reply.status()).isEqualTo(422);
        JsonNode problem = reply.body().get("detail").get(0);
        assertThat(problem.get("loc")).extracting(JsonNode::asText).containsExactly("body", field);
        assertThat(problem.get("type").asText()).isEqualTo(type);
        assertThat(problem.get("msg").asText()).isNotBlank();
    }

    @Test
    void nestedValidationProblemsNameTheirIndex() throws Exception {
        var reply = client.submit("""
                {"training_data_url":"https://x/y.zip","include_middle_keyframe":true,
                 "validation":[{"prompt":"p","start_image_url":"https://x/s.png","end_image_url":"javascript:alert(1)"}]}""");
        assertThat(reply.status()).isEqualTo(422);
        List<String> locs = new ArrayList<>();
        reply.body().get("detail").forEach(p -> locs.add(p.get("loc").toString()));
        assertThat(locs).containsExactly("[\"body\",\"validation\",0,\"end_image_url\"]",
                "[\"body\",\"validation\",0,\"middle_image_url\"]");
    }

    @Test
    void unusableUrlsAnywhereAnswer422NamingTheirPlace() throws Exception {
        var reply = client.submit("""
                {"training_data_url":"https://x/y.zip","include_middle_keyframe":true,
                 "validation":[{"prompt":null,"start_image_url":"http://x:0/s.png","end_image_url":null,
                                "middle_image_url":"http://x:70000/m.png"}]}""");
        assertThat(reply.status()).isEqualTo(422);
        List<String> locs = new ArrayList<>();
        reply.body().get("detail").forEach(p -> locs.add(p.get("loc").toString()));
        assertThat(locs).containsExactly("[\"body\",\"validation\",0,\"prompt\"]",
                "[\"body\",\"validation\",0,\"start_image_url\"]", "[\"body\",\"validation\",0,\"end_image_url\"]",
                "[\"body\",\"validation\",0,\"middle_image_url\"]");

        var webhook = raw("POST", "/" + GatewaySettings.ENDPOINT_ID + "?fal_webhook=http://203.0.113.10:99999/hook",
                VALID, "application/json");
        assertJsonError(webhook, 422);
        assertThat(webhook.body()).contains("[\"query\",\"fal_webhook\"]", "invalid port");
    }

    @Test
    void dataAfterTheJsonValueIsMalformed() throws Exception {
        assertJsonError(raw("POST", "/" + GatewaySettings.ENDPOINT_ID, VALID + "xyz", "application/json"), 400);
        assertJsonError(raw("POST", "/" + GatewaySettings.ENDPOINT_ID, VALID + VALID, "application/json"), 400);
    }

    @Test
    void aBodyJustUnderTheLimitIsAcceptedAndItsJobHoldsOnlyKnownFields() throws Exception {
        String padding = "x".repeat((int) stack.gateway().services().settings().bodyLimit() - VALID.length() - 100);
        String body = VALID.replace("}", ",\"padding\":\"" + padding + "\"}");
        var reply = raw("POST", "/" + GatewaySettings.ENDPOINT_ID, body, "application/json");
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        JobMessage job = readJob(Json.readTree(reply.body().getBytes()).get("request_id").asText());
        assertThat(job.input().has("padding")).isFalse();
        assertThat(job.input().get("number_of_steps").asInt()).isEqualTo(100);
    }

    @Test
    void aJsonBodyIsReadWhateverItsContentTypeAndEveryAnswerNamesItsRequest() throws Exception {
        // curl's --data sends form-urlencoded; bodies past 1 KiB once went to Vert.x's form decoder (400).
        String longPrompt = "{\"training_data_url\":\"https://example.com/clips.zip\",\"number_of_steps\":100,"
                + "\"validation_negative_prompt\":\"" + "blurry, ".repeat(200) + "\"}";
        var forms = java.util.Arrays.asList(null, "text/plain", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x");
        for (String contentType : forms) {
            for (String json : List.of(VALID, longPrompt)) {
                var reply = raw("POST", "/" + GatewaySettings.ENDPOINT_ID, json, contentType);
                assertThat(reply.statusCode()).as("Content-Type %s: %s", contentType, reply.body()).isEqualTo(200);
                JsonNode body = Json.readTree(reply.body().getBytes());
                String id = body.get("request_id").asText();
                assertThat(body.get("gateway_request_id").asText()).isEqualTo(id);
                assertThat(reply.headers().firstValue("x-fal-request-id")).contains(id);
                for (String path : List.of("/status", "/status?logs=1", "", "/webhooks")) {
                    var answer = raw("GET", GatewaySettings.APP_PATH + "/requests/" + id + path, null, null);
                    assertThat(answer.headers().firstValue("x-fal-request-id")).as(path).contains(id);
                }
            }
        }
        assertJsonError(raw("POST", "/" + GatewaySettings.ENDPOINT_ID, "training_data_url=x", "text/plain"), 400);
        var unknown = raw("GET", GatewaySettings.APP_PATH + "/requests/no-such-id/status", null, null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("x-fal-request-id")).contains("no-such-id");
    }

    @Test
    void badRequestsAnswerJsonErrors() throws Exception {
        assertJsonError(raw("POST", "/" + GatewaySettings.ENDPOINT_ID, "{not json", "application/json"), 400);
        assertJsonError(raw("POST", "/" + GatewaySettings.ENDPOINT_ID, "", "application/json"), 422);
        assertJsonError(raw("POST", "/" + GatewaySettings.ENDPOINT_ID, "[1]", "application/json"), 422);
        String huge = "{\"trigger_phrase\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        assertJsonError(raw("POST", "/" + GatewaySettings.ENDPOINT_ID, huge, "application/json"), 413);
        assertJsonError(raw("GET", "/no/such/route", null, null), 404);
        assertJsonError(raw("DELETE", GatewaySettings.APP_PATH + "/requests/x/status", null, null), 405);
        assertJsonError(raw("POST", "/" + GatewaySettings.ENDPOINT_ID + "?fal_webhook=gopher://x", VALID,
                "application/json"), 422);
    }

    @Test
    void queuePositionCountsTheRealBacklog() throws Exception {
        // The scripted worker keeps up, so stop nothing: a fresh job is never behind more than the backlog.
        var reply = client.submit(VALID);
        int position = reply.body().get("queue_position").asInt();
        assertThat(position).isBetween(0, stack.gateway().services().projection().queuedCount());
    }

    @Test
    void healthAndMetricsAnswer() throws Exception {
        assertThat(raw("GET", "/health/live", null, null, false).statusCode()).isEqualTo(200);
        var ready = raw("GET", "/health/ready", null, null, false);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"kafka_reachable\":true");
        for (int i = 0; i < 5; i++) {
            // Made-up methods each get an answer, but must not each get a meter: that would let
            // anyone grow the registry (and every scrape) without bound.
            assertThat(raw("BREW" + i, "/no/such/route", null, null, false).statusCode()).isBetween(400, 499);
        }
        var metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(stack.gatewayMetricsUrl()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(metrics.body()).contains("fleet_gateway_http_requests_seconds_count")
                .contains("fleet_gateway_billed_units").contains("method=\"other\"").doesNotContain("BREW");
    }

    @Test
    void metricsAreNotServedOnTheApiPort() throws Exception {
        // They carry the ledger's billing totals: the operator's, on gateway.metrics.port.
        assertThat(raw("GET", "/metrics", null, null, false).statusCode()).isEqualTo(404);
        assertThat(stack.gatewayMetricsUrl().getPort()).isNotEqualTo(stack.gatewayUrl().getPort());
    }

    private static void assertJsonError(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode body = Json.readTree(response.body().getBytes());
        assertThat(body.has("detail")).isTrue();
        // fal's request errors: flat detail and error_type, the same value in X-Fal-Error-Type.
        String errorType = response.headers().firstValue("X-Fal-Error-Type").orElse(null);
        assertThat(errorType).as(response.body()).isNotBlank();
        if (!body.get("detail").isArray()) {
            assertThat(body.path("error_type").asText()).isEqualTo(errorType);
        }
        assertThat(response.body()).doesNotContainPattern(
                "\\b(java|javax|com|org|io|sun|jdk)\\.[a-z]+\\.[A-Za-z.]+|Exception\\b|FAIL_ON_|getMax[A-Za-z]+\\(\\)");
    }

    private static HttpResponse<String> rawSubmit(String body, String idempotencyKey) throws Exception {
        var request = HttpRequest.newBuilder(stack.gatewayUrl().resolve("/" + GatewaySettings.ENDPOINT_ID))
                .header("Authorization", "Key " + stack.apiKey()).header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A request with the dev key. */
    /**
     * Schema fuzzing over HTTP: random bodies (the same generator as the validator's property test)
     * sent as a client would; each gets 200, or a 4xx whose detail names the body or a field of the
     * endpoint, never a 5xx.
     */
    @Test
    void anyJsonBodyIsAnsweredWithAcceptanceOrAFieldNamedError() throws Exception {
        var bodies = org.ltxfleet.common.job.RequestBodies.bodies().sampleStream().limit(200).toList();
        var statuses = new java.util.TreeMap<Integer, Integer>();
        for (JsonNode body : bodies) {
            var response = raw("POST", "/" + GatewaySettings.ENDPOINT_ID, Json.toString(body), "application/json");
            statuses.merge(response.statusCode(), 1, Integer::sum);
            assertThat(response.statusCode()).as("%s → %s", body, response.body()).isLessThan(500);
            if (response.statusCode() == 422) {
                JsonNode detail = Json.readTree(response.body().getBytes()).get("detail");
                assertThat(detail.isArray() && !detail.isEmpty()).as(response.body()).isTrue();
                for (JsonNode problem : detail) {
                    assertThat(problem.path("loc").path(0).asText()).isEqualTo("body");
                    if (problem.path("loc").size() > 1) {
                        assertThat(org.ltxfleet.common.job.RequestBodies.FIELDS)
                                .contains(problem.path("loc").path(1).asText());
                    }
                }
            } else if (response.statusCode() != 200) {
                assertThat(Json.readTree(response.body().getBytes()).path("detail").isMissingNode()).as(response.body())
                        .isFalse();
            }
        }
        assertThat(statuses).as("both answers are reached").containsKeys(200, 422);
        System.out.println("schema fuzzing: 200 random bodies answered " + statuses);
    }

    private static HttpResponse<String> raw(String method, String path, String body, String contentType)
            throws Exception {
        return raw(method, path, body, contentType, true);
    }

    private static HttpResponse<String> raw(String method, String path, String body, String contentType,
                                            boolean withKey) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        if (withKey) {
            builder.header("Authorization", "Key " + stack.apiKey());
        }
        return HttpClient.newHttpClient().send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JobMessage readJob(String requestId) {
        var props = KafkaSettings.consumer(stack.kafkaBootstrap(), null, "gateway-it");
        try (var consumer = new KafkaConsumer<String, byte[]>(props)) {
            var partitions = Topics.jobTopics().stream().flatMap(t -> consumer.partitionsFor(t).stream())
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (requestId.equals(record.key())) {
                        return Json.fromBytes(record.value(), JobMessage.class);
                    }
                }
            }
        }
        throw new AssertionError("job " + requestId + " not found on " + Topics.JOBS);
    }
}
