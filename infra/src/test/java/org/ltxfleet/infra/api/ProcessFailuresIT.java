package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.ltxfleet.common.config.Settings;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.JobEvent;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.KafkaSettings;
import org.ltxfleet.common.kafka.Records;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.infra.client.FleetClient;

/**
 * Every part in a process of its own, as {@code ./fleet kafka|s3|gateway|worker} starts them, and
 * processes killed with SIGKILL while jobs run: the broker (started again 30 s later), then the
 * gateway and the preprocess worker holding a job. No other process is restarted. Every job
 * accepted completes and is billed once; the lines starting {@code RELIABILITY} are what
 * docs/RELIABILITY.md quotes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@CpuBound(seconds = 155)
class ProcessFailuresIT {

    private static Path dir;
    private static ProcessStack stack;
    private static Process kafka;
    private static Process gateway;
    private static FleetClient client;
    private static String dataset;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("fleet-it-processes");
        // Short leases: a killed worker's job is taken over 10 s after its last beat, not 60.
        stack = new ProcessStack(dir, "train.checkpoint.every=10\npreprocess.lease.heartbeat.seconds=2\n"
                + "preprocess.lease.stale.seconds=10\n");
        kafka = stack.kafka();
        stack.s3();
        gateway = stack.gateway();
        stack.worker("preprocess", "pre-1");
        stack.worker("preprocess", "pre-2");
        stack.worker("train", "train-1");
        client = stack.client();
        for (String worker : List.of("pre-1", "pre-2", "train-1")) {
            // Each worker process answers its own probes once its loops poll.
            await().atMost(Duration.ofSeconds(30)).until(() -> stack.workerReadiness(worker) == 200);
        }
        dataset = TestStacks.sampleDataset(stack.layout().config(true), 2);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    @Order(1)
    void aBrokerKilledMidJobAndBackAfterThirtySecondsLosesNothing() throws Exception {
        int billedBefore = TestStacks.billedRecently(client.baseUri(), ProcessStack.API_KEY);
        String before = submit(dataset, 100);
        TestStacks.awaitTrainingStep(client, before, 10, Duration.ofMinutes(4));
        ProcessStack.kill(kafka);
        long killedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> ready() == 503);
        double redAfter = seconds(killedAt);
        Thread.sleep(Math.max(0, 30_000 - (System.nanoTime() - killedAt) / 1_000_000));
        kafka = stack.kafka();
        long restartedAt = System.nanoTime();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() -> ready() == 200);
        double greenAfter = seconds(restartedAt);

        String after = submit(dataset, 100);
        assertCompleted(before, Duration.ofMinutes(8));
        assertCompleted(after, Duration.ofMinutes(4));
        double recovered = seconds(killedAt);
        assertThat(TestStacks.billedRecently(client.baseUri(), ProcessStack.API_KEY)).isEqualTo(billedBefore + 2);
        // The train worker's own metrics count what it did, beside its JVM's.
        String metrics = stack.workerMetrics("train-1");
        assertThat(metrics).contains("jvm_memory_used_bytes{")
                .containsPattern("fleet_worker_events_total\\{[^}]*type=\"job.completed\"[^}]*} [2-9]")
                .containsPattern("fleet_worker_job_attempt_seconds_count\\{[^}]*result=\"done\"[^}]*stage=\"train\"")
                .containsPattern("fleet_worker_seconds_per_step\\{[^}]*stage=\"train\"[^}]*} (0\\.\\d*[1-9]|[1-9])");
        // The gateway's: the submits, the charges, its JVM and its Kafka producer.
        String gatewayMetrics = TestStacks.scrape(stack.gatewayMetricsUrl());
        assertThat(gatewayMetrics).contains("jvm_memory_used_bytes{").contains("kafka_producer_record_send_total{");
        assertThat(TestStacks.metricSum(gatewayMetrics, "fleet_gateway_http_requests_seconds_count", "status=\"200\"",
                "method=\"POST\"")).isGreaterThanOrEqualTo(2);
        assertThat(TestStacks.metricSum(gatewayMetrics, "fleet_gateway_billed_units")).isGreaterThanOrEqualTo(200);
        // The preprocess workers': both jobs' attempts ended done between them, and their producers wrote.
        double preprocessed = 0;
        for (String worker : List.of("pre-1", "pre-2")) {
            String own = stack.workerMetrics(worker);
            assertThat(own).contains("kafka_producer_record_send_total{");
            preprocessed += TestStacks.metricSum(own, "fleet_worker_job_attempt_seconds_count", "result=\"done\"");
        }
        assertThat(preprocessed).isGreaterThanOrEqualTo(2);
        System.out.printf("RELIABILITY broker-restart: jobs accepted 2, lost 0, billed twice 0; readiness red %.1f s "
                + "after the kill, green %.1f s after the restart; both jobs done %.0f s after the kill%n",
                redAfter, greenAfter, recovered);
    }

    @Test
    @Order(2)
    void theGatewayAndABusyPreprocessWorkerKilledMidJobLoseNothing() throws Exception {
        int billedBefore = TestStacks.billedRecently(client.baseUri(), ProcessStack.API_KEY);
        // A fresh archive (no cache hit) of enough clips that preprocessing takes a while.
        String bigger = TestStacks.sampleDataset(stack.layout().config(true), 6);
        String first = submit(bigger, 100);
        String worker = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> startedBy(first, "preprocess"), Optional::isPresent).get();
        ProcessStack.kill(gateway);
        ProcessStack.kill(stack.process(worker.substring(worker.indexOf('/') + 1)));
        long killedAt = System.nanoTime();
        gateway = stack.gateway();
        String second = submit(dataset, 100);

        assertCompleted(first, Duration.ofMinutes(6));
        assertCompleted(second, Duration.ofMinutes(4));
        assertThat(TestStacks.billedRecently(client.baseUri(), ProcessStack.API_KEY)).isEqualTo(billedBefore + 2);
        System.out.printf("RELIABILITY gateway-and-preprocess-kill: jobs accepted 2, lost 0, billed twice 0; the job "
                + "whose preprocess worker (%s) was killed completed on the other one %.0f s after the kill%n",
                worker, seconds(killedAt));
    }

    private static String submit(String data, int steps) throws Exception {
        var reply = client.submit(Json.toString(TestStacks.smallJob(data, steps)));
        assertThat(reply.status()).as(reply.rawBody()).isEqualTo(200);
        return reply.body().get("request_id").asText();
    }

    private static void assertCompleted(String id, Duration within) {
        JsonNode status = TestStacks.awaitOutcome(client, id, within);
        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("COMPLETED");
    }

    /** The worker (event source) whose STARTED event for the stage the job has, read from ltx.events. */
    private static Optional<String> startedBy(String requestId, String stage) {
        var config = stack.layout().config(true);
        var props = KafkaSettings.consumer(Settings.KAFKA_BOOTSTRAP.read(config), null, "it-events");
        try (var consumer = new KafkaConsumer<String, byte[]>(props)) {
            var partitions = consumer.partitionsFor(Topics.EVENTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    JobEvent event = Records.readEvent(record);
                    if (requestId.equals(event.requestId()) && event.type() == EventType.STARTED
                            && stage.equals(event.payload().path("stage").asText())) {
                        return Optional.of(event.source());
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static int ready() {
        return TestStacks.httpStatus(client.baseUri().resolve("/health/ready"));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
