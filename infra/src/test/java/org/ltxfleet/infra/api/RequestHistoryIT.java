package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.JobEvent;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.BillingRecord;
import org.ltxfleet.common.kafka.KafkaSettings;
import org.ltxfleet.common.kafka.Records;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.infra.stack.FleetStack;
import org.ltxfleet.infra.stack.StackOptions;

/**
 * {@code GET /v1/requests} against the embedded stack (real Kafka, real S3 store): a key's jobs,
 * newest first, page by page, each once, its own only, filtered by state, and the jobs that left the
 * gateway's memory for the archive (the retention shrunk to its least, 1 hour, and jobs produced as
 * if they had ended 2 hours ago) among them, in their place.
 */
class RequestHistoryIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static FleetStack stack;
    private static String keyId;
    private static String otherKeyId;
    /** The first key's jobs, newest first, as the list must show them. */
    private static final List<String> MINE = new ArrayList<>();
    private static final List<String> THEIRS = new ArrayList<>();
    private static String liveDone;
    private static String liveFailed;
    private static String liveRunning;
    private static String archivedDone;
    private static String archivedFailed;
    private static Instant archivedEnd;

    @BeforeAll
    static void jobsOfTwoKeysLiveAndArchived() throws Exception {
        var dir = Files.createTempDirectory("fleet-it-history");
        Files.writeString(dir.resolve("fleet.properties"), "gateway.logs.retention.hours=1\n");
        stack = TestStacks.start(StackOptions.forTests(dir).withWorkers(false));
        keyId = stack.apiKey().split(":")[0];
        otherKeyId = TestStacks.OTHER_KEY.split(":")[0];
        archivedEnd = Instant.now().minus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        archivedDone = "history-old-done-" + java.util.UUID.randomUUID();
        archivedFailed = "history-old-failed-" + java.util.UUID.randomUUID();
        String theirsArchived = "history-old-theirs-" + java.util.UUID.randomUUID();

        try (var producer = new KafkaProducer<String, byte[]>(KafkaSettings.producer(stack.kafkaBootstrap(), "it"))) {
            // The charge first, read by the ledger before its job leaves the projection with it.
            producer.send(Records.billing(BillingRecord.of(archivedDone, keyId, GatewaySettings.ENDPOINT_ID, 300,
                    archivedEnd))).get();
            var ledger = stack.gateway().services().ledger();
            await().atMost(Duration.ofSeconds(30)).until(() -> !ledger.usage(keyId, Instant.EPOCH,
                    Instant.now().plusSeconds(60)).isEmpty());
            // Older than the live ones, submitted 10 and 9 minutes before they ended 2 hours ago.
            oldJob(producer, archivedFailed, keyId, 600);
            oldJob(producer, archivedDone, keyId, 540);
            oldJob(producer, theirsArchived, otherKeyId, 570);
            producer.send(Records.event(event(archivedFailed, keyId, EventType.FAILED, new Payloads.Failed(422,
                    "no_usable_data", Json.toTree("no clip is long enough"), "preprocess"), archivedEnd))).get();
            producer.send(Records.event(event(archivedDone, keyId, EventType.COMPLETED,
                    new Payloads.Completed(null, 60.0), archivedEnd))).get();
            producer.send(Records.event(event(theirsArchived, otherKeyId, EventType.COMPLETED,
                    new Payloads.Completed(null, 60.0), archivedEnd))).get();
        }
        MINE.addFirst(archivedFailed);
        MINE.addFirst(archivedDone);
        THEIRS.addFirst(theirsArchived);

        // Live jobs through the API, the two keys' interleaved; no workers, so they wait until told otherwise.
        var mine = TestStacks.client(stack);
        var theirs = TestStacks.otherClient(stack);
        for (int i = 0; i < 6; i++) {
            MINE.addFirst(mine.submit(GatewayIT.VALID).body().get("request_id").asText());
            if (i % 2 == 0) {
                THEIRS.addFirst(theirs.submit(GatewayIT.VALID).body().get("request_id").asText());
            }
        }
        liveRunning = MINE.get(0);
        liveDone = MINE.get(2);
        liveFailed = MINE.get(4);
        try (var producer = new KafkaProducer<String, byte[]>(KafkaSettings.producer(stack.kafkaBootstrap(), "it"))) {
            Instant now = Instant.now();
            producer.send(Records.event(event(liveRunning, keyId, EventType.STARTED,
                    new Payloads.Started("train", "w"), now))).get();
            producer.send(Records.event(event(liveRunning, keyId, EventType.PROGRESS,
                    new Payloads.Progress("train", 40, 100, 0.3, 2e-4, 0.5, 30.0), now))).get();
            producer.send(Records.event(event(liveDone, keyId, EventType.COMPLETED,
                    new Payloads.Completed(null, 1.0), now))).get();
            producer.send(Records.billing(BillingRecord.of(liveDone, keyId, GatewaySettings.ENDPOINT_ID, 100, now))).get();
            producer.send(Records.event(event(liveFailed, keyId, EventType.FAILED, new Payloads.Failed(500,
                    "internal_error", Json.toTree("gave up"), "train"), now))).get();
        }

        // The old jobs leave the gateway's memory (the sweeper archives them every few seconds).
        var projection = stack.gateway().services().projection();
        await().atMost(Duration.ofSeconds(60)).until(() -> projection.find(archivedDone, keyId).isEmpty()
                && projection.find(archivedFailed, keyId).isEmpty()
                && projection.find(theirsArchived, otherKeyId).isEmpty());
        await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(
                TestStacks.client(stack).status(liveDone, false).body().path("state").asText()));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static void oldJob(KafkaProducer<String, byte[]> producer, String id, String key, int secondsBeforeEnd)
            throws Exception {
        var message = Json.object().put("schema_version", 1).put("request_id", id).put("key_id", key)
                .put("endpoint", GatewaySettings.ENDPOINT_ID)
                .put("submitted_at", archivedEnd.minusSeconds(secondsBeforeEnd).toString());
        message.putObject("input").put("training_data_url", "https://data.example/clips.zip").put("number_of_steps", 300);
        producer.send(new ProducerRecord<>(Topics.JOBS, id, Json.toBytes(message))).get();
        producer.send(Records.event(event(id, key, EventType.STARTED, new Payloads.Started("train", "w"),
                archivedEnd.minusSeconds(300)))).get();
    }

    private static JobEvent event(String id, String key, EventType type, Object payload, Instant at) {
        var event = JobEvent.of(id, key, type, "history-it", payload);
        return new JobEvent(event.specVersion(), event.eventId(), id, key, type, at, "history-it", event.payload());
    }

    private static HttpResponse<String> get(String apiKey, String query) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/v1/requests" + query));
        if (apiKey != null) {
            request.header("Authorization", "Key " + apiKey);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode page(String apiKey, String query) throws Exception {
        var response = get(apiKey, query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.readTree(response.body().getBytes(StandardCharsets.UTF_8));
    }

    /** Every job of the key through pages of {@code limit}, in order; {@code status} filters when not null. */
    private static List<JsonNode> everyPage(String apiKey, int limit, String status) throws Exception {
        var rows = new ArrayList<JsonNode>();
        String cursor = null;
        for (int pages = 0; pages < 50; pages++) {
            String query = "?limit=" + limit + (status == null ? "" : "&status=" + status)
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode page = page(apiKey, query);
            page.get("requests").forEach(rows::add);
            if (!page.get("has_more").asBoolean()) {
                assertThat(page.get("next_cursor").isNull()).isTrue();
                return rows;
            }
            assertThat(page.get("requests")).hasSize(limit);
            cursor = page.get("next_cursor").asText();
        }
        throw new AssertionError("more than 50 pages");
    }

    private static List<String> ids(List<JsonNode> rows) {
        return rows.stream().map(r -> r.get("request_id").asText()).toList();
    }

    @Test
    void pagesCoverEveryJobOfTheKeyOnceNewestFirstArchivedOnesIncluded() throws Exception {
        for (int limit : new int[] {1, 3, 100}) {
            assertThat(ids(everyPage(stack.apiKey(), limit, null))).as("limit " + limit).isEqualTo(MINE);
        }
        assertThat(ids(everyPage(TestStacks.OTHER_KEY, 2, null))).isEqualTo(THEIRS);
        assertThat(ids(everyPage(stack.apiKey(), 2, null))).doesNotContainAnyElementsOf(THEIRS);
    }

    @Test
    void aJobSubmittedBetweenPagesDoesNotShiftTheNextPage() throws Exception {
        JsonNode first = page(TestStacks.OTHER_KEY, "?limit=1");
        var before = List.copyOf(THEIRS);
        String newer = TestStacks.otherClient(stack).submit(GatewayIT.VALID).body().get("request_id").asText();
        THEIRS.addFirst(newer);
        var rest = new ArrayList<String>();
        rest.add(first.get("requests").get(0).get("request_id").asText());
        String cursor = first.get("next_cursor").asText();
        while (cursor != null) {
            JsonNode page = page(TestStacks.OTHER_KEY, "?limit=1&cursor=" + cursor);
            page.get("requests").forEach(r -> rest.add(r.get("request_id").asText()));
            cursor = page.get("has_more").asBoolean() ? page.get("next_cursor").asText() : null;
        }
        assertThat(rest).isEqualTo(before);
        assertThat(ids(everyPage(TestStacks.OTHER_KEY, 100, null)).getFirst()).isEqualTo(newer);
    }

    @Test
    void theStatusFilterTakesAnyCaseAndReachesTheArchive() throws Exception {
        assertThat(ids(everyPage(stack.apiKey(), 1, "completed"))).containsExactly(liveDone, archivedDone);
        assertThat(ids(everyPage(stack.apiKey(), 1, "FAILED"))).containsExactly(liveFailed, archivedFailed);
        assertThat(ids(everyPage(stack.apiKey(), 5, "In_Progress"))).containsExactly(liveRunning);
        var queued = new ArrayList<>(MINE);
        queued.removeAll(List.of(liveRunning, liveDone, liveFailed, archivedDone, archivedFailed));
        assertThat(ids(everyPage(stack.apiKey(), 2, "IN_QUEUE"))).isEqualTo(queued);
        assertThat(everyPage(stack.apiKey(), 5, "CANCELED")).isEmpty();
    }

    @Test
    void rowsCarryStateTimesStepsUnitsAndErrorTypeLiveOrArchived() throws Exception {
        var rows = everyPage(stack.apiKey(), 100, null);
        JsonNode running = rows.get(MINE.indexOf(liveRunning));
        assertThat(running.get("status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(running.get("steps").asInt()).isEqualTo(100);
        assertThat(running.get("steps_done").asInt()).isEqualTo(40);
        assertThat(running.get("ended_at").isNull()).isTrue();
        assertThat(Instant.parse(running.get("created_at").asText())).isBefore(Instant.now());

        await().atMost(Duration.ofSeconds(30)).until(() -> everyPage(stack.apiKey(), 100, "COMPLETED").getFirst()
                .get("units").asLong() == 100);
        JsonNode failed = rows.get(MINE.indexOf(liveFailed));
        assertThat(failed.get("error_type").asText()).isEqualTo("internal_error");
        assertThat(failed.get("units").isNull()).isTrue();

        JsonNode oldDone = rows.get(MINE.indexOf(archivedDone));
        assertThat(oldDone.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(oldDone.get("units").asLong()).as("billed before it left memory").isEqualTo(300);
        assertThat(oldDone.get("steps").asInt()).isEqualTo(300);
        assertThat(Instant.parse(oldDone.get("ended_at").asText())).isEqualTo(archivedEnd);
        assertThat(Instant.parse(oldDone.get("created_at").asText())).isEqualTo(archivedEnd.minusSeconds(540));
        assertThat(oldDone.get("endpoint").asText()).isEqualTo(GatewaySettings.ENDPOINT_ID);
        JsonNode oldFailed = rows.get(MINE.indexOf(archivedFailed));
        assertThat(oldFailed.get("error_type").asText()).isEqualTo("no_usable_data");
        assertThat(oldFailed.get("started_at").asText()).isNotEmpty();
    }

    @Test
    void badParametersAnswer422NamingThemAndNoKeyAnswers401() throws Exception {
        for (String[] bad : new String[][] {{"?limit=0", "limit"}, {"?limit=101", "limit"}, {"?limit=abc", "limit"},
                {"?status=DONE", "status"}, {"?cursor=not-a-cursor", "cursor"}}) {
            var response = get(stack.apiKey(), bad[0]);
            assertThat(response.statusCode()).as(bad[0]).isEqualTo(422);
            assertThat(response.headers().firstValue("X-Fal-Error-Type")).hasValue("validation_error");
            JsonNode detail = Json.readTree(response.body().getBytes(StandardCharsets.UTF_8)).get("detail");
            assertThat(detail.get(0).get("loc").toString()).isEqualTo("[\"query\",\"" + bad[1] + "\"]");
        }
        assertThat(get(null, "").statusCode()).isEqualTo(401);
        assertThat(get("other-key:wrong", "").statusCode()).isEqualTo(401);
    }
}
