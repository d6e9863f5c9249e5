package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.config.Settings;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.JobEvent;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.KafkaSettings;
import org.ltxfleet.common.kafka.Records;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.infra.stack.FleetStack;
import org.ltxfleet.infra.stack.StackOptions;
import org.ltxfleet.preprocess.PreprocessWorker;

/**
 * The train worker runs as a separate JVM and is killed with SIGKILL mid-training; a new one
 * takes the job over from its last checkpoint, finishes exactly the asked number of steps, and the
 * job is billed once.
 */
@CpuBound(seconds = 140)
class TrainWorkerKillIT {

    @BeforeAll
    static void baseWeights() throws Exception {
        TestStacks.ensureBaseWeights(); // its workers are started here, not by the stack
    }

    @Test
    void aKilledWorkersJobResumesFromItsCheckpointAndIsBilledOnce(@TempDir Path dir) throws Exception {
        try (FleetStack stack = TestStacks.start(StackOptions.forTests(dir.resolve("stack")).withWorkers(false));
             var preprocess = PreprocessWorker.start(stack.config().with("worker.name", "kill-it"))) {
            Path config = workerConfig(stack, dir);
            var client = TestStacks.client(stack);
            var input = TestStacks.smallJob(TestStacks.sampleDataset(stack, 2), 150);
            String id = client.submit(Json.toString(input)).body().get("request_id").asText();

            Process first = startWorker(config, dir.resolve("first.log"));
            Path leftBehind;
            try {
                TestStacks.awaitTrainingStep(client, id, 45, Duration.ofMinutes(4));
                leftBehind = scratchSpaceOf(id);
            } finally {
                first.destroyForcibly().waitFor();
            }
            assertThat(leftBehind).as("the killed worker's scratch space").isDirectory();
            int reachedBeforeKill = client.status(id, false).body().path("progress").path("done").asInt();
            assertThat(reachedBeforeKill).isLessThan(150);

            Process second = startWorker(config, dir.resolve("second.log"));
            try {
                JsonNode status = TestStacks.awaitOutcome(client, id, Duration.ofMinutes(4));
                assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("COMPLETED");
                List<String> logs = new ArrayList<>();
                status.get("logs").forEach(l -> logs.add(l.get("message").asText()));
                assertThat(logs).anyMatch(m -> m.matches("train: resuming from the checkpoint at step (\\d+) of 150")
                        && Integer.parseInt(m.replaceAll("\\D+", " ").trim().split(" ")[0]) >= 40);
                Path outputConfig = dir.resolve("config.json");
                client.download(client.result(id).body().get("config_file").get("url").asText(), outputConfig);
                assertThat(Json.readTree(Files.readAllBytes(outputConfig)).get("steps_trained").asInt()).isEqualTo(150);
                await().atMost(Duration.ofSeconds(15)).until(() -> TestStacks.billedRecently(stack), n -> n == 1);
                Thread.sleep(1000);
                assertThat(TestStacks.billedRecently(stack)).isEqualTo(1);
                assertThat(leftBehind).as("swept by the next train worker to start on the machine").doesNotExist();
                try (var store = org.ltxfleet.common.s3.ObjectStore.open(org.ltxfleet.common.s3.S3Settings.from(stack.config()))) {
                    assertThat(store.keys("jobs/" + id + "/checkpoints/")).as("the checkpoint it resumed from").isEmpty();
                }
            } finally {
                second.destroy();
                second.waitFor();
            }
        }
    }

    @Test
    void aStoppedWorkerCheckpointsAndHandsTheJobOver(@TempDir Path dir) throws Exception {
        try (FleetStack stack = TestStacks.start(StackOptions.forTests(dir.resolve("stack")).withWorkers(false));
             var preprocess = PreprocessWorker.start(stack.config().with("worker.name", "stop-it"))) {
            var client = TestStacks.client(stack);
            var input = TestStacks.smallJob(TestStacks.sampleDataset(stack, 1), 120);
            String id = client.submit(Json.toString(input)).body().get("request_id").asText();
            var first = org.ltxfleet.train.TrainWorker.start(stack.config().with("worker.name", "first")
                    .with("train.checkpoint.every", "1000"));
            TestStacks.awaitTrainingStep(client, id, 20, Duration.ofMinutes(3));
            first.close(); // what SIGTERM does: the job is interrupted, checkpointed and not committed
            assertThat(client.status(id, false).body().get("state").asText()).isEqualTo("IN_PROGRESS");

            try (var second = org.ltxfleet.train.TrainWorker.start(stack.config().with("worker.name", "second"))) {
                JsonNode status = TestStacks.awaitOutcome(client, id, Duration.ofMinutes(3));
                assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("COMPLETED");
                List<String> logs = new ArrayList<>();
                status.get("logs").forEach(l -> logs.add(l.get("message").asText()));
                assertThat(logs).anyMatch(m -> m.matches("train: resuming from the checkpoint at step \\d+ of 120")
                        && Integer.parseInt(m.replaceAll("\\D+", " ").trim().split(" ")[0]) >= 20);
            }
        }
    }

    @Test
    void aWorkerStoppedAsItsJobCompletesLeavesItDoneAndBilledOnce(@TempDir Path dir) throws Exception {
        try (FleetStack stack = TestStacks.start(StackOptions.forTests(dir.resolve("stack")).withWorkers(false));
             var preprocess = PreprocessWorker.start(stack.config().with("worker.name", "finish-it"));
             var store = org.ltxfleet.common.s3.ObjectStore.open(org.ltxfleet.common.s3.S3Settings.from(stack.config()));
             var events = new KafkaConsumer<String, byte[]>(KafkaSettings.consumer(stack.kafkaBootstrap(), null, "it"))) {
            var client = TestStacks.client(stack);
            var partitions = events.partitionsFor(Topics.EVENTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            events.assign(partitions);
            events.seekToEnd(partitions);
            partitions.forEach(events::position);
            String id = client.submit(Json.toString(TestStacks.smallJob(TestStacks.sampleDataset(stack, 1), 100)))
                    .body().get("request_id").asText();
            var worker = org.ltxfleet.train.TrainWorker.start(stack.config().with("worker.name", "finisher"));
            // Stopped the moment the outcome is out, as ./fleet demo stops its stack.
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ZERO).until(() -> {
                for (var record : events.poll(Duration.ofMillis(50))) {
                    JobEvent event = Records.readEvent(record);
                    if (id.equals(event.requestId()) && event.type() == EventType.COMPLETED) {
                        return true;
                    }
                }
                return false;
            });
            worker.close();

            assertThat(store.exists("jobs/" + id + "/done.json")).isTrue();
            await().atMost(Duration.ofSeconds(15)).until(() -> TestStacks.billedRecently(stack), n -> n == 1);
            try (var admin = Admin.create(java.util.Map.<String, Object>of("bootstrap.servers", stack.kafkaBootstrap()))) {
                var committed = admin.listConsumerGroupOffsets(org.ltxfleet.train.TrainWorker.GROUP)
                        .partitionsToOffsetAndMetadata().get();
                var ready = new java.util.HashMap<TopicPartition, OffsetSpec>();
                events.partitionsFor(Topics.READY).forEach(p -> ready.put(new TopicPartition(Topics.READY, p.partition()),
                        OffsetSpec.latest()));
                var ends = admin.listOffsets(ready).all().get();
                ends.forEach((partition, end) -> {
                    if (end.offset() > 0) {
                        assertThat(committed.get(partition)).as("nothing is left for another worker to announce again")
                                .extracting(OffsetAndMetadata::offset).isEqualTo(end.offset());
                    }
                });
                assertThat(ends.values()).anyMatch(end -> end.offset() > 0);
            }
        }
    }

    @Test
    void aJobAnotherLiveWorkerHoldsIsNotTrainedTwice(@TempDir Path dir) throws Exception {
        try (FleetStack stack = TestStacks.start(StackOptions.forTests(dir.resolve("stack")).withWorkers(false));
             var preprocess = PreprocessWorker.start(stack.config().with("worker.name", "lease-it"));
             var store = org.ltxfleet.common.s3.ObjectStore.open(org.ltxfleet.common.s3.S3Settings.from(stack.config()));
             var worker = org.ltxfleet.train.TrainWorker.start(stack.config().with("worker.name", "here"))) {
            var client = TestStacks.client(stack);
            var input = TestStacks.smallJob(TestStacks.sampleDataset(stack, 1), 100);
            String held = client.submit(Json.toString(input)).body().get("request_id").asText();
            // As if a rebalance had moved the job here while a worker elsewhere still trains it.
            var elsewhere = new org.ltxfleet.common.job.JobHold(store, org.ltxfleet.common.job.JobHold.Stage.TRAIN, held,
                    "elsewhere", org.ltxfleet.common.job.JobLease.DEFAULT_TIMING).lease();
            assertThat(elsewhere.acquire()).isNull();
            await().atMost(Duration.ofMinutes(1)).until(() -> client.status(held, true).body().path("logs").toString()
                    .contains("preprocess: encoded"));
            Thread.sleep(5000);
            assertThat(client.status(held, true).body().path("logs").toString()).doesNotContain("train:");
            // The other worker finishes: this one drops the message and is free for the next job.
            store.put("jobs/" + held + "/done.json", "{}".getBytes(), "application/json");
            elsewhere.close();
            String next = client.submit(Json.toString(input)).body().get("request_id").asText();
            TestStacks.awaitTrainingStep(client, next, 1, Duration.ofMinutes(3));
            assertThat(client.status(held, true).body().path("logs").toString()).doesNotContain("train:");
        }
    }

    /** The stack's broker, store and shared base weights, checkpointing every 10 steps, with a short lease. */
    private static Path workerConfig(FleetStack stack, Path dir) throws Exception {
        var lines = new StringBuilder();
        for (var setting : List.of(Settings.KAFKA_BOOTSTRAP, Settings.S3_ENDPOINT, Settings.S3_ACCESS_KEY,
                Settings.S3_SECRET_KEY, Settings.MODEL_DIR)) {
            lines.append(setting.key()).append('=').append(setting.read(stack.config())).append('\n');
        }
        lines.append(Settings.S3_PATH_STYLE.key()).append("=true\n");
        // A lease beat every 2 s and a takeover after 10 s of silence instead of 10/60: the same logic, sooner.
        lines.append("train.checkpoint.every=10\nworker.name=separate-jvm\n")
                .append("train.lease.heartbeat.seconds=2\ntrain.lease.stale.seconds=10\n");
        Path file = dir.resolve("worker.properties");
        Files.writeString(file, lines);
        return file;
    }

    private static Process startWorker(Path config, Path log) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), "org.ltxfleet.train.TrainWorker", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }


    /** The scratch space (java.io.tmpdir/ltx-train-*) holding the directory of job {@code requestId}. */
    private static Path scratchSpaceOf(String requestId) throws java.io.IOException {
        try (var spaces = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            for (Path space : spaces.filter(p -> p.getFileName().toString().startsWith("ltx-train-")).toList()) {
                try (var jobs = Files.list(space)) {
                    if (jobs.anyMatch(job -> job.getFileName().toString().startsWith(requestId))) {
                        return space;
                    }
                } catch (java.io.IOException gone) {
                    // another test's worker closed its space meanwhile
                }
            }
        }
        throw new AssertionError("no scratch space holds job " + requestId);
    }
}
