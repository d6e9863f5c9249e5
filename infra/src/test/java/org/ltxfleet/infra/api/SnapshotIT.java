package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.JobEvent;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.BillingRecord;
import org.ltxfleet.common.kafka.JobMessage;
import org.ltxfleet.common.kafka.KafkaSettings;
import org.ltxfleet.common.kafka.Records;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.common.s3.ObjectStore;
import org.ltxfleet.common.s3.S3Settings;
import org.ltxfleet.gateway.Gateway;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.gateway.snapshot.KafkaLog;
import org.ltxfleet.gateway.snapshot.SnapshotStore;
import org.ltxfleet.infra.client.FleetClient;
import org.ltxfleet.infra.stack.FleetStack;

/**
 * A gateway's start-up is bounded by its last snapshot, not by the topics' history: it loads the
 * projection and the ledger from the store and reads only the records after them. Proved by
 * deleting the history the snapshot covers from Kafka: the restarted gateway still answers every
 * job and charge, and reads exactly the one record written after the snapshot. A snapshot of
 * another cluster is ignored.
 */
class SnapshotIT {

    /** Jobs of history; {@code -Dsnapshot.it.jobs=200000} measures a bigger one. */
    private static final int HISTORY = Integer.getInteger("snapshot.it.jobs", 5000);
    private static final Instant BILLED_ON = Instant.parse("2026-05-01T12:00:00Z");
    private static final List<String> TOPICS =
            Stream.concat(Stream.concat(Topics.jobTopics().stream(), Stream.of(Topics.EVENTS)), Stream.of(Topics.BILLING))
                    .toList();

    @Test
    void aRestartedGatewayReadsOnlyWhatCameAfterItsSnapshot() throws Exception {
        try (var scripted = TestStacks.startScripted("fleet-it-snapshot", "gateway.snapshot.interval.seconds=1\n");
             var admin = admin(scripted.stack());
             var store = ObjectStore.open(S3Settings.from(scripted.stack().config()))) {
            FleetStack stack = scripted.stack();
            FleetClient client = TestStacks.client(stack);
            String keyId = stack.apiKey().split(":")[0];
            String done = submit(client, "done");
            String failed = submit(client, "fail");
            TestStacks.awaitOutcome(client, done, Duration.ofSeconds(30));
            TestStacks.awaitOutcome(client, failed, Duration.ofSeconds(30));
            scripted.pipeline().close();
            writeHistory(stack, keyId);
            JsonNode doneBefore = client.status(done, true).body();
            JsonNode failedBefore = client.status(failed, true).body();
            await().atMost(Duration.ofSeconds(20)).until(() -> usageJobs(stack.gatewayUrl(), stack.apiKey()) == HISTORY);

            // Both snapshots cover everything written so far.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> coversEverything(store, admin, "projection") && coversEverything(store, admin, "ledger"));
            stack.gateway().close();

            // The figure for the note: the same start, with and without the snapshot.
            Startup full = restart(stack, "0");
            Startup fromSnapshot = restart(stack, "1");
            System.out.printf("SNAPSHOT start-up with %d jobs: full replay read %d records in %.2f s; from the "
                            + "snapshot %d records in %.2f s (%.1fx faster)%n", full.jobs(), full.projectionRecords()
                            + full.ledgerRecords(), full.seconds(), fromSnapshot.projectionRecords()
                            + fromSnapshot.ledgerRecords(), fromSnapshot.seconds(), full.seconds() / fromSnapshot.seconds());
            assertThat(full.projectionRecords()).isGreaterThanOrEqualTo(2L * HISTORY);
            assertThat(full.ledgerRecords()).isEqualTo(HISTORY);
            assertThat(fromSnapshot.projectionRecords()).isZero();
            assertThat(fromSnapshot.ledgerRecords()).isZero();

            // Remove the history from Kafka; one record comes after the snapshot.
            Map<TopicPartition, Long> ends = endOffsets(admin);
            admin.deleteRecords(ends.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                    e -> RecordsToDelete.beforeOffset(e.getValue())))).all().get();
            try (var producer = new KafkaProducer<String, byte[]>(KafkaSettings.producer(stack.kafkaBootstrap(), "late"))) {
                producer.send(Records.event(JobEvent.of("after-snapshot", keyId, EventType.LOG, "test",
                        new Payloads.Log("INFO", "written after the snapshot", "preprocess")))).get();
            }

            try (Gateway restarted = Gateway.start(stack.config().with("gateway.port", "0"))) {
                FleetClient again = clientOf(restarted, stack);
                assertThat(again.status(done, true).body().get("logs")).isEqualTo(doneBefore.get("logs"));
                assertThat(again.status(done, true).body().get("state").asText()).isEqualTo("COMPLETED");
                assertThat(again.result(done).status()).isEqualTo(200);
                assertThat(again.status(failed, true).body().get("error")).isEqualTo(failedBefore.get("error"));
                assertThat(again.result(failed).status()).isEqualTo(422);
                assertThat(again.status("history-17", false).body().get("state").asText()).isEqualTo("COMPLETED");
                assertThat(usageJobs(URI.create("http://127.0.0.1:" + restarted.port()), stack.apiKey()))
                        .isEqualTo(HISTORY);
                // Queued (202), with the one line written after the snapshot.
                await().atMost(Duration.ofSeconds(10)).until(() -> again.status("after-snapshot", true),
                        r -> r.rawBody().contains("written after the snapshot"));
                assertThat(replayed(restarted, "projection")).isEqualTo(1);
                assertThat(replayed(restarted, "ledger")).isZero();
            }

            // A snapshot taken on another cluster: ignored, so this start knows only what Kafka still holds.
            var elsewhere = new SnapshotStore(store, new KafkaLog("another-cluster", Map.of()));
            elsewhere.save("projection", Map.of(), Map.of("jobs", List.of()));
            try (Gateway restarted = Gateway.start(stack.config().with("gateway.port", "0")
                    .with("gateway.snapshot.interval.seconds", "3600"))) {
                FleetClient again = clientOf(restarted, stack);
                assertThat(again.status("after-snapshot", false).status()).isEqualTo(202);
                assertThat(again.status(done, false).status()).as("its history was deleted").isEqualTo(404);
                assertThat(replayed(restarted, "projection")).isEqualTo(1);
            }
        }
    }

    /** Jobs that completed and were charged, written straight to the topics as a fleet's history. */
    private static void writeHistory(FleetStack stack, String keyId) throws Exception {
        try (var producer = new KafkaProducer<String, byte[]>(KafkaSettings.producer(stack.kafkaBootstrap(), "history"))) {
            for (int i = 0; i < HISTORY; i++) {
                String id = "history-" + i;
                producer.send(Records.job(new JobMessage(1, id, keyId, GatewaySettings.ENDPOINT_ID, BILLED_ON, null,
                        null, null, null, Json.object(), null, null)));
                producer.send(Records.event(JobEvent.of(id, keyId, EventType.COMPLETED, "test",
                        new Payloads.Completed(null, 1.0))));
                producer.send(Records.billing(BillingRecord.of(id, keyId, "e", 100, BILLED_ON)));
            }
            producer.flush();
        }
    }

    private record Startup(double seconds, int jobs, long projectionRecords, long ledgerRecords) {
    }

    /** Starts a gateway with the given snapshot interval, measures its start and closes it. */
    private static Startup restart(FleetStack stack, String snapshotSeconds) throws Exception {
        long started = System.nanoTime();
        try (Gateway gateway = Gateway.start(stack.config().with("gateway.port", "0")
                .with("gateway.snapshot.interval.seconds", snapshotSeconds))) {
            double seconds = (System.nanoTime() - started) / 1e9;
            return new Startup(seconds, gateway.services().projection().size(), replayed(gateway, "projection"),
                    replayed(gateway, "ledger"));
        }
    }

    private static FleetClient clientOf(Gateway gateway, FleetStack stack) {
        return new FleetClient(URI.create("http://127.0.0.1:" + gateway.port()), stack.apiKey(),
                GatewaySettings.ENDPOINT_ID);
    }

    private static String submit(FleetClient client, String trigger) throws Exception {
        return client.submit("{\"training_data_url\":\"https://example.com/c.zip\",\"trigger_phrase\":\"" + trigger
                + "\"}").body().get("request_id").asText();
    }

    private static int usageJobs(URI gateway, String apiKey) throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway
                        + "/v1/usage?from=2026-05-01&to=2026-05-02")).header("Authorization", "Key " + apiKey).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.readTree(response.body().getBytes()).get("jobs").asInt();
    }

    /** What {@code fleet_gateway_replayed_records_total} of the gateway says for one reader. */
    private static long replayed(Gateway gateway, String reader) throws Exception {
        String metrics = TestStacks.scrape(FleetStack.metricsUrl(gateway));
        String label = "reader=\"" + reader + "\"";
        assertThat(metrics).as("the replayed-records counter of %s", reader)
                .contains("fleet_gateway_replayed_records_total{" + label);
        return (long) TestStacks.metricSum(metrics, "fleet_gateway_replayed_records_total", label);
    }

    /** Whether the reader's snapshot in the store was taken at the end of every partition it reads. */
    private static boolean coversEverything(ObjectStore store, Admin admin, String reader) throws Exception {
        if (!store.exists(SnapshotStore.key(reader))) {
            return false;
        }
        JsonNode positions;
        try (InputStream in = new GZIPInputStream(store.stream(SnapshotStore.key(reader)))) {
            positions = Json.readTree(in.readAllBytes()).get("positions");
        }
        List<String> topics = reader.equals("ledger") ? List.of(Topics.BILLING)
                : TOPICS.stream().filter(t -> !t.equals(Topics.BILLING)).toList();
        for (var end : endOffsets(admin).entrySet()) {
            if (topics.contains(end.getKey().topic()) && end.getValue() > 0
                    && positions.path(end.getKey().topic() + ":" + end.getKey().partition()).asLong(-1) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
        var latest = new HashMap<TopicPartition, OffsetSpec>();
        admin.describeTopics(TOPICS).allTopicNames().get().values().forEach(t -> t.partitions().forEach(p ->
                latest.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.latest())));
        var ends = new HashMap<TopicPartition, Long>();
        admin.listOffsets(latest).all().get().forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    private static Admin admin(FleetStack stack) {
        var props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        return Admin.create(props);
    }
}
