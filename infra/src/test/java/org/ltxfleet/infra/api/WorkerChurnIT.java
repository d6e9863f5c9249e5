package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.infra.client.FleetClient;

/**
 * Autoscaling as a fleet lives it: every part a process, two preprocess and two train workers, 8
 * small jobs (12 kept CI's two cores busy for 350 s, the longest test of the suite); while they
 * run, a third worker of each stage joins and the oldest of each leaves (SIGTERM, as a scale-down
 * sends), three times.
 * Every job completes, is billed once and its webhook arrives once, under one delivery id, and runs
 * are counted ({@link RunCount}): each job starts once per stage plus once per hand-back. The
 * {@code RELIABILITY} line is what docs/RELIABILITY.md quotes.
 */
@CpuBound(seconds = 150)
class WorkerChurnIT {

    private static final int JOBS = 8;
    private static final int ROUNDS = 3;

    @Test
    void everyJobCompletesOnceWhileWorkersJoinAndLeave() throws Exception {
        Path dir = Files.createTempDirectory("fleet-it-churn");
        // A short lease, so that a job whose worker left is taken over at once (a stop releases it anyway).
        try (var stack = new ProcessStack(dir, "train.checkpoint.every=20\ntrain.lease.heartbeat.seconds=2\n"
                + "train.lease.stale.seconds=10\npreprocess.lease.heartbeat.seconds=2\npreprocess.lease.stale.seconds=10\n");
             var receiver = new WebhookReceiver()) {
            stack.kafka();
            stack.s3();
            stack.gateway();
            Deque<String> preprocess = new ArrayDeque<>(List.of("pre-1", "pre-2"));
            Deque<String> train = new ArrayDeque<>(List.of("train-1", "train-2"));
            for (String name : preprocess) {
                stack.worker("preprocess", name);
            }
            for (String name : train) {
                stack.worker("train", name);
            }
            FleetClient client = stack.client();
            var datasets = new ArrayList<String>();
            for (int i = 0; i < 4; i++) {
                datasets.add(TestStacks.sampleDataset(stack.layout().config(true), 1));
            }
            long started = System.nanoTime();
            var ids = new ArrayList<String>();
            for (int i = 0; i < JOBS; i++) {
                ids.add(submit(client, datasets.get(i % datasets.size()), receiver));
            }

            var everyPreprocess = new ArrayList<>(preprocess);
            var everyTrain = new ArrayList<>(train);
            int joined = 2;
            for (int round = 1; round <= ROUNDS; round++) {
                int target = round * JOBS / (ROUNDS + 1);
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> completed(client, ids) >= target);
                joined++;
                stack.worker("preprocess", "pre-" + joined);
                stack.worker("train", "train-" + joined);
                preprocess.addLast("pre-" + joined);
                train.addLast("train-" + joined);
                everyPreprocess.add("pre-" + joined);
                everyTrain.add("train-" + joined);
                // 143: the JVM ended on SIGTERM after its shutdown hooks ran; -1 would be a stop that hung.
                assertThat(ProcessStack.stop(stack.process(preprocess.removeFirst()))).isIn(0, 143);
                assertThat(ProcessStack.stop(stack.process(train.removeFirst()))).isIn(0, 143);
            }

            var outcomes = new ArrayList<String>();
            for (String id : ids) {
                JsonNode status = TestStacks.awaitOutcome(client, id, Duration.ofMinutes(6));
                outcomes.add(status.get("state").asText());
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(outcomes).as("every job completes").containsOnly("COMPLETED");
            await().atMost(Duration.ofSeconds(30)).until(() -> TestStacks.billedRecently(client.baseUri(), ProcessStack.API_KEY),
                    n -> n == JOBS);
            await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> !receiver.receivedFor(id).isEmpty()));
            Thread.sleep(2000); // a second delivery would show up now
            for (String id : ids) {
                var hooks = receiver.receivedFor(id);
                assertThat(hooks).as("webhooks of %s", id).hasSize(1);
            }
            Set<String> deliveryIds = receiver.received().stream().map(r -> r.header("webhook-id")).collect(Collectors.toSet());
            assertThat(deliveryIds).hasSize(JOBS);
            // Runs, not outcomes: each job started once per stage, plus once per hand-back of a stopped worker.
            var runs = RunCount.count(stack.kafkaBootstrap(), ids, java.util.Map.of(
                    RunCount.PREPROCESS, everyPreprocess.stream().map(stack::log).toList(),
                    RunCount.TRAIN, everyTrain.stream().map(stack::log).toList()));
            RunCount.assertEachJobRanOnce(runs);
            long starts = runs.stream().mapToLong(RunCount.Runs::starts).sum();
            long handBacks = runs.stream().mapToLong(RunCount.Runs::handBacks).sum();
            int resumed = 0;
            for (String id : ids) {
                resumed += client.status(id, true).body().path("logs").toString().contains("resuming from the checkpoint") ? 1 : 0;
            }
            System.out.printf("RELIABILITY worker-churn: jobs accepted %d, lost 0, billed twice 0, webhooks %d (one "
                    + "delivery id each); %d joins and %d leaves per stage; %d stage starts = %d jobs x 2 stages + %d "
                    + "hand-back(s) of stopped workers, none after a job ended; %d job(s) resumed from a checkpoint on "
                    + "another worker; all done in %.0f s%n", JOBS, receiver.received().size(), ROUNDS, ROUNDS,
                    starts, JOBS, handBacks, resumed, seconds);
        }
    }

    private static String submit(FleetClient client, String dataset, WebhookReceiver receiver) throws Exception {
        var input = TestStacks.smallJob(dataset, 100);
        var reply = client.submit(Json.toString(input), receiver.url("/churn").toString());
        assertThat(reply.status()).as(reply.rawBody()).isEqualTo(200);
        return reply.body().get("request_id").asText();
    }

    private static long completed(FleetClient client, List<String> ids) throws Exception {
        long done = 0;
        for (String id : ids) {
            done += "COMPLETED".equals(client.status(id, false).body().path("state").asText()) ? 1 : 0;
        }
        return done;
    }
}
