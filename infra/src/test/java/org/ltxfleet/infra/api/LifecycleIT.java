package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.BillingRecord;
import org.ltxfleet.common.kafka.KafkaSettings;
import org.ltxfleet.common.kafka.Records;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.infra.client.FleetClient;
import org.ltxfleet.infra.stack.FleetStack;

/** What the API adds to fal's lifecycle: explicit outcomes, log cursors, resumable streams, rate limits, usage. */
class LifecycleIT {

    private static final int STREAMS_PER_KEY = 3;

    private static FleetStack stack;
    private static TestStacks.Scripted scripted;
    private static FleetClient client;

    @BeforeAll
    static void start() throws Exception {
        scripted = TestStacks.startScripted("fleet-it-lifecycle", "gateway.rate.limit.per.second=30\n"
                + "gateway.max.streams.per.key=" + STREAMS_PER_KEY + "\n");
        stack = scripted.stack();
        client = TestStacks.client(stack);
    }

    @AfterAll
    static void stop() {
        scripted.close();
    }

    private static String submit(String trigger) throws Exception {
        return client.submit("{\"training_data_url\":\"https://example.com/c.zip\",\"trigger_phrase\":\"" + trigger
                + "\"}").body().get("request_id").asText();
    }

    private static JsonNode awaitDone(String id) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> client.status(id, true), r -> r.status() == 200).body();
    }

    @Test
    void stateNamesTheOutcomeBesideFalsStatus() throws Exception {
        JsonNode ok = awaitDone(submit("ok"));
        JsonNode failed = awaitDone(submit("fail"));
        assertThat(ok.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(ok.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(failed.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(failed.get("state").asText()).isEqualTo("FAILED");
    }

    @Test
    void logCursorReturnsOnlyNewerLines() throws Exception {
        String id = submit("ok");
        JsonNode all = awaitDone(id);
        assertThat(all.get("logs")).hasSize(2);
        String cursor = all.get("logs_cursor").asText();
        var firstOnly = get(GatewaySettings.APP_PATH + "/requests/" + id + "/status?logs=1&since=1");
        assertThat(Json.readTree(firstOnly.body().getBytes()).get("logs")).extracting(l -> l.get("message").asText())
                .containsExactly("step 100/100");
        var none = get(GatewaySettings.APP_PATH + "/requests/" + id + "/status?logs=1&since=" + cursor);
        assertThat(Json.readTree(none.body().getBytes()).get("logs")).isEmpty();
    }

    @Test
    void streamResumesAfterLastEventIdWithoutRepeatingLines() throws Exception {
        String id = submit("ok");
        awaitDone(id);
        List<String> first = stream(id, null);
        assertThat(first).hasSize(1);
        // Resume as if the client had seen only the first log line of an earlier version.
        List<String> resumed = stream(id, "1.1");
        JsonNode event = Json.readTree(resumed.get(0).getBytes());
        assertThat(event.get("logs")).extracting(l -> l.get("message").asText()).containsExactly("step 100/100");
        // Resuming after the final event just closes the stream.
        String lastId = Json.readTree(first.get(0).getBytes()).get("logs_cursor").asText();
        assertThat(stream(id, "999999." + lastId)).isEmpty();
    }

    @Test
    void overBudgetCallsGet429WithRetryAfterAndOtherKeysAreUnaffected() throws Exception {
        FleetClient other = TestStacks.otherClient(stack);
        int limited = 0;
        String retryAfter = null;
        // All at once, on one client: sent one after another on a loaded machine they may spread over
        // more than the second the budget (30 a second here) is counted in.
        var http = HttpClient.newHttpClient();
        var request = HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/v1/usage"))
                .header("Authorization", "Key " + TestStacks.OTHER_KEY).build();
        var sent = new java.util.ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<String>>>();
        for (int i = 0; i < 60; i++) {
            sent.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        for (var future : sent) {
            var response = future.get();
            if (response.statusCode() == 429) {
                limited++;
                retryAfter = response.headers().firstValue("Retry-After").orElse(null);
                assertThat(Json.readTree(response.body().getBytes()).get("detail").asText()).contains("Too many");
            }
        }
        assertThat(limited).isPositive();
        assertThat(retryAfter).isEqualTo("1");
        assertThat(get("/v1/usage").statusCode()).isEqualTo(200);
        // Reads draw on a budget of their own.
        assertThat(other.status("x", false).status()).isEqualTo(404);
    }

    @Test
    void fiftyClientsPollingAtTheirOwnPaceNeverSee429AndSubmitsKeepTheirBudget() throws Exception {
        String id = submit("watched");
        var http = HttpClient.newBuilder().executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())
                .build();
        var statuses = new java.util.concurrent.ConcurrentHashMap<Integer, java.util.concurrent.atomic.AtomicInteger>();
        var pollers = new ArrayList<Thread>();
        // fal's Python client polls every 0.1 s: 50 of them are 500 reads a second on one key, whose
        // calls budget here is 30 a second.
        for (int client = 0; client < 50; client++) {
            pollers.add(Thread.ofVirtual().start(() -> {
                for (int poll = 0; poll < 30; poll++) {
                    try {
                        String path = poll % 3 == 0 ? "" : "/status" + (poll % 3 == 1 ? "?logs=1" : "");
                        int code = http.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl()
                                        + GatewaySettings.APP_PATH + "/requests/" + id + path))
                                .header("Authorization", "Key " + stack.apiKey()).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode();
                        statuses.computeIfAbsent(code, c -> new java.util.concurrent.atomic.AtomicInteger())
                                .incrementAndGet();
                        Thread.sleep(100);
                    } catch (Exception e) {
                        statuses.computeIfAbsent(-1, c -> new java.util.concurrent.atomic.AtomicInteger())
                                .incrementAndGet();
                    }
                }
            }));
        }
        var submits = new ArrayList<Integer>();
        for (int i = 0; i < 5; i++) {
            submits.add(client.submit("{\"training_data_url\":\"https://example.com/c.zip\"}").status());
            Thread.sleep(200);
        }
        for (Thread poller : pollers) {
            poller.join();
        }
        assertThat(statuses.keySet()).as("answers: %s", statuses).doesNotContain(429, -1);
        assertThat(statuses.values().stream().mapToInt(java.util.concurrent.atomic.AtomicInteger::get).sum())
                .isEqualTo(50 * 30);
        assertThat(submits).as("submits beside the polls").containsOnly(200);
    }

    @Test
    void usageCountsEachCompletedJobOnceWhateverWasRedelivered() throws Exception {
        String keyId = stack.apiKey().split(":")[0];
        Instant when = Instant.parse("2026-03-01T12:00:00Z");
        var props = KafkaSettings.producer(stack.kafkaBootstrap(), "lifecycle-billing");
        try (var producer = new KafkaProducer<String, byte[]>(props)) {
            for (int copy = 0; copy < 3; copy++) {
                producer.send(Records.billing(BillingRecord.of("job-a", keyId, "e", 2000, when))).get();
                producer.send(Records.billing(BillingRecord.of("job-b", keyId, "e", 100, when.plusSeconds(3600)))).get();
            }
            producer.send(Records.billing(BillingRecord.of("job-c", "someone-else", "e", 5000, when))).get();
        }
        String url = "/v1/usage?from=2026-03-01&to=2026-03-02";
        JsonNode usage = await().atMost(Duration.ofSeconds(10)).until(() -> Json.readTree(get(url).body().getBytes()),
                u -> u.get("jobs").asInt() == 2);
        Thread.sleep(500);
        usage = Json.readTree(get(url).body().getBytes());
        assertThat(usage.get("jobs").asInt()).isEqualTo(2);
        assertThat(usage.get("units").asLong()).isEqualTo(2100);
        assertThat(usage.get("amount_usd").decimalValue()).isEqualByComparingTo("5.04");

        var csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + url))
                .header("Authorization", "Key " + stack.apiKey()).header("Accept", "text/csv").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.body()).isEqualTo("date,jobs,units,amount_usd\n2026-03-01,2,2100,5.0400\ntotal,2,2100,5.0400\n");

        assertThat(get("/v1/usage?from=yesterday").statusCode()).isEqualTo(422);
        var otherUsage = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + url))
                .header("Authorization", "Key " + TestStacks.OTHER_KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(Json.readTree(otherUsage.body().getBytes()).get("jobs").asInt()).isZero();
    }

    @Test
    void aChargeForAJobThatFailedFirstIsNeverBilled() throws Exception {
        String failed = submit("fail");
        awaitDone(failed);
        String keyId = stack.apiKey().split(":")[0];
        Instant when = Instant.parse("2026-04-01T12:00:00Z");
        // A charge that came anyway (a second worker that finished the job after its first end).
        try (var producer = new KafkaProducer<String, byte[]>(KafkaSettings.producer(stack.kafkaBootstrap(), "late"))) {
            producer.send(Records.billing(BillingRecord.of(failed, keyId, "e", 500, when))).get();
            producer.send(Records.billing(BillingRecord.of("job-unknown-to-events", keyId, "e", 100, when))).get();
        }
        String url = "/v1/usage?from=2026-04-01&to=2026-04-02";
        JsonNode usage = await().atMost(Duration.ofSeconds(10)).until(() -> Json.readTree(get(url).body().getBytes()),
                u -> u.get("jobs").asInt() >= 1);
        Thread.sleep(500);
        usage = Json.readTree(get(url).body().getBytes());
        assertThat(usage.get("jobs").asInt()).isEqualTo(1);
        assertThat(usage.get("units").asLong()).isEqualTo(100);
        assertThat(client.status(failed, false).body().get("state").asText()).isEqualTo("FAILED");
    }

    @Test
    void failedAndCanceledJobsAreNeverBilled() throws Exception {
        awaitDone(submit("fail"));
        String slow = submit("slow");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.status(slow, false).body().get("state").asText(),
                "IN_PROGRESS"::equals);
        client.cancel(slow);
        awaitDone(slow);
        JsonNode today = Json.readTree(get("/v1/usage?from=" + Instant.now().minusSeconds(3600)).body().getBytes());
        assertThat(today.get("jobs").asInt()).isZero();
    }

    @Test
    void aMalformedLastEventIdStartsTheStreamOverAndNothingStaysOpen() throws Exception {
        String id = submit("fail");
        awaitDone(id);
        for (String lastEventId : List.of("0.-1", "-5.2", "x.y", "1.2.3", "99999999999999999999.1")) {
            List<String> data = stream(id, lastEventId);
            assertThat(data).as("Last-Event-ID %s", lastEventId).isNotEmpty();
            assertThat(Json.readTree(data.getLast().getBytes()).get("state").asText()).isEqualTo("FAILED");
        }
        await().atMost(Duration.ofSeconds(5)).until(LifecycleIT::openStreams, n -> n == 0);
    }

    @Test
    void aClientThatLeavesReleasesItsStreamAndAKeyHoldsAtMostItsCap() throws Exception {
        String slow = submit("slow");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.status(slow, false).body().get("state").asText(),
                "IN_PROGRESS"::equals);
        var open = new ArrayList<java.io.InputStream>();
        try {
            for (int i = 0; i < STREAMS_PER_KEY; i++) {
                var body = openStream(slow);
                assertThat(body.statusCode()).isEqualTo(200);
                open.add(body.body());
            }
            var refused = openStream(slow);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(new String(refused.body().readAllBytes(), StandardCharsets.UTF_8)).contains("status streams");
            await().atMost(Duration.ofSeconds(5)).until(LifecycleIT::openStreams, n -> n == STREAMS_PER_KEY);
        } finally {
            for (var body : open) {
                body.close(); // the client goes away mid-stream
            }
        }
        await().atMost(Duration.ofSeconds(15)).until(LifecycleIT::openStreams, n -> n == 0);
        assertThat(openStream(slow).statusCode()).as("the key's slots are free again").isEqualTo(200);
        client.cancel(slow);
        awaitDone(slow);
    }

    private static HttpResponse<java.io.InputStream> openStream(String id) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + GatewaySettings.APP_PATH + "/requests/"
                + id + "/status/stream")).header("Authorization", "Key " + stack.apiKey()).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    /** The gateway's gauge of open status streams. */
    private static int openStreams() throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(stack.gatewayMetricsUrl()).build(), HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith("fleet_gateway_open_status_streams "))
                .map(l -> (int) Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(-1);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + path))
                .header("Authorization", "Key " + stack.apiKey()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The data lines of a status stream, reconnecting with the given Last-Event-ID. */
    private static List<String> stream(String id, String lastEventId) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + GatewaySettings.APP_PATH + "/requests/"
                        + id + "/status/stream?logs=1")).header("Authorization", "Key " + stack.apiKey());
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        var response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        var data = new ArrayList<String>();
        try (var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            reader.lines().filter(l -> l.startsWith("data:")).forEach(l -> data.add(l.substring(5).trim()));
        }
        return data;
    }
}
