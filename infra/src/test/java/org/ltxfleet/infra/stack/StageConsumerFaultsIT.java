package org.ltxfleet.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.kafka.EventWriter;
import org.ltxfleet.common.kafka.KafkaSettings;
import org.ltxfleet.common.kafka.StageConsumer;

/**
 * A stage's consumer in the moments fleets live through: a rebalance while a job runs, a broker
 * that goes away and comes back, an outcome that cannot be written yet, a job over its time limit.
 * No record is ever dropped.
 */
class StageConsumerFaultsIT {

    /** Records what it handled; a key listed in {@code blockers} waits for {@code release}. */
    static class Recorder implements StageConsumer.Handler {
        final Set<String> handled = ConcurrentHashMap.newKeySet();
        final Set<String> gaveUp = ConcurrentHashMap.newKeySet();
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch blocking = new CountDownLatch(1);
        final Set<String> blockers = ConcurrentHashMap.newKeySet();

        @Override
        public void handle(ConsumerRecord<String, byte[]> record) throws Exception {
            if (blockers.contains(record.key())) {
                blocking.countDown();
                release.await();
            }
            handled.add(record.key());
        }

        @Override
        public void giveUp(ConsumerRecord<String, byte[]> record, Exception lastError) throws Exception {
            gaveUp.add(record.key());
        }
    }

    /** Writes records with these keys and empty values to one partition, in order. */
    static void produce(EmbeddedKafka kafka, String topic, int partition, String... keys) throws Exception {
        try (var producer = new KafkaProducer<String, byte[]>(KafkaSettings.producer(kafka.bootstrapServers(), "it"))) {
            for (String key : keys) {
                producer.send(new ProducerRecord<>(topic, partition, key, new byte[0])).get();
            }
        }
    }

    private static StageConsumer.Options options(int maxAttempts, Duration timeLimit) {
        return new StageConsumer.Options(maxAttempts, timeLimit, Duration.ofMillis(200));
    }

    @Test
    void aRebalanceWhileAJobRunsLosesNoQueuedJob(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            kafka.createTopics(Map.of("it.jobs", 4));
            var recorder = new Recorder();
            recorder.blockers.add("long");
            try (var first = new StageConsumer(kafka.connection(), List.of("it.jobs"), "it-rebalance", "a",
                    recorder, options(3, Duration.ofMinutes(5)))) {
                produce(kafka, "it.jobs", 0, "long");
                recorder.blocking.await();
                var queued = new ArrayList<String>();
                for (int p = 0; p < 4; p++) {
                    produce(kafka, "it.jobs", p, "queued-" + p);
                    queued.add("queued-" + p);
                }
                // A second member joins while the first is busy: the group rebalances under it.
                try (var second = new StageConsumer(kafka.connection(), List.of("it.jobs"), "it-rebalance", "b",
                        recorder, options(3, Duration.ofMinutes(5)))) {
                    Thread.sleep(5000);
                    recorder.release.countDown();
                    for (int p = 0; p < 4; p++) {
                        produce(kafka, "it.jobs", p, "later-" + p);
                        queued.add("later-" + p);
                    }
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                            assertThat(recorder.handled).containsAll(queued).contains("long"));
                }
            }
        }
    }

    @Test
    void aFinishedJobIsNotRunAgainWhenARebalanceGaveItsPartitionBack(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            kafka.createTopics(Map.of("it.jobs", 1));
            var runs = new java.util.concurrent.CopyOnWriteArrayList<String>();
            var recorder = new Recorder() {
                @Override
                public void handle(ConsumerRecord<String, byte[]> record) throws Exception {
                    runs.add(record.key());
                    super.handle(record);
                }
            };
            recorder.blockers.add("long");
            // "z" joining and leaving makes two rebalances under the running job; however the partition
            // is assigned meanwhile, the finished record must not be fetched and run again.
            try (var first = new StageConsumer(kafka.connection(), List.of("it.jobs"), "it-back", "a",
                    recorder, options(3, Duration.ofMinutes(5)))) {
                produce(kafka, "it.jobs", 0, "long");
                recorder.blocking.await();
                try (var joiner = new StageConsumer(kafka.connection(), List.of("it.jobs"), "it-back", "z",
                        recorder, options(3, Duration.ofMinutes(5)))) {
                    Thread.sleep(5000);
                }
                Thread.sleep(5000);
                recorder.release.countDown();
                produce(kafka, "it.jobs", 0, "next");
                await().atMost(Duration.ofSeconds(60)).until(() -> runs.contains("next"));
                Thread.sleep(3000);
                assertThat(runs).as("each job runs once").containsExactly("long", "next");
            }
        }
    }

    @Test
    void aBrokerOutageOfSecondsPausesTheStageInsteadOfStoppingIt(@TempDir Path dir) throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0);
        int port = Integer.parseInt(kafka.bootstrapServers().split(":")[1]);
        kafka.createTopics(Map.of("it.normal", 2, "it.low", 2));
        var recorder = new Recorder();
        try (var consumer = new StageConsumer(kafka.connection(), List.of("it.normal", "it.low"), "it-outage",
                "a", recorder, options(3, Duration.ofMinutes(5)))) {
            produce(kafka, "it.normal", 0, "before");
            await().atMost(Duration.ofSeconds(30)).until(() -> recorder.handled.contains("before"));

            kafka.close();
            Thread.sleep(12_000);  // past the 5 s end-offsets timeout of the priority check
            kafka = EmbeddedKafka.start(dir, port);
            produce(kafka, "it.low", 1, "after");
            await().atMost(Duration.ofSeconds(90)).until(() -> recorder.handled.contains("after"));
            assertThat(consumer.health().up()).isTrue();
        } finally {
            kafka.close();
        }
    }

    @Test
    void anOutcomeThatCannotBeWrittenYetIsRetriedBeforeTheOffsetMoves(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            kafka.createTopics(Map.of("it.jobs", 1));
            var giveUpCalls = new AtomicInteger();
            var recorder = new Recorder() {
                @Override
                public void handle(ConsumerRecord<String, byte[]> record) throws Exception {
                    if (record.key().equals("failing")) {
                        throw new IllegalStateException("this job always fails");
                    }
                    super.handle(record);
                }

                @Override
                public void giveUp(ConsumerRecord<String, byte[]> record, Exception lastError) throws Exception {
                    // The FAILED event cannot be written for a while (a broker outage).
                    if (giveUpCalls.incrementAndGet() < 3) {
                        throw new IllegalStateException("could not write to ltx.events: timed out");
                    }
                    super.giveUp(record, lastError);
                }
            };
            try (var consumer = new StageConsumer(kafka.connection(), List.of("it.jobs"), "it-giveup", "a",
                    recorder, options(2, Duration.ofMinutes(5)))) {
                produce(kafka, "it.jobs", 0, "failing", "next");
                await().atMost(Duration.ofSeconds(60)).until(() -> recorder.handled.contains("next"));
            }
            assertThat(recorder.gaveUp).containsExactly("failing");
            assertThat(giveUpCalls.get()).isEqualTo(3);
        }
    }

    @Test
    void aJobWhoseEventsCannotBeWrittenForAnOutageWaitsUncountedInsteadOfFailing(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            kafka.createTopics(Map.of("it.jobs", 1));
            var tries = new AtomicInteger();
            var recorder = new Recorder() {
                @Override
                public void handle(ConsumerRecord<String, byte[]> record) throws Exception {
                    // As a job whose event writer ran out of patience while the broker was away.
                    if (record.key().equals("during-outage") && tries.incrementAndGet() <= 2) {
                        throw new IllegalStateException("progress not written", new EventWriter.BrokerUnavailable(
                                "ltx.events", Duration.ofMinutes(10), new java.util.concurrent.TimeoutException()));
                    }
                    super.handle(record);
                }
            };
            // One attempt allowed: an outage must not use it up.
            try (var consumer = new StageConsumer(kafka.connection(), List.of("it.jobs"), "it-outage-job", "a",
                    recorder, options(1, Duration.ofMinutes(5)))) {
                produce(kafka, "it.jobs", 0, "during-outage", "next");
                await().atMost(Duration.ofSeconds(90)).until(() -> recorder.handled.contains("next"));
            }
            assertThat(recorder.gaveUp).isEmpty();
            assertThat(recorder.handled).contains("during-outage");
            assertThat(tries.get()).isEqualTo(3);
        }
    }

    @Test
    void aJobWhoseWorkersKeepBeingStoppedRunsOutOfItsBudgetAcrossMembers(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            kafka.createTopics(Map.of("it.jobs", 1));
            var starts = new AtomicInteger();
            var recorder = new Recorder() {
                @Override
                public void handle(ConsumerRecord<String, byte[]> record) throws Exception {
                    if (record.key().equals("never-settles")) {
                        starts.incrementAndGet();
                        Thread.sleep(Long.MAX_VALUE); // until its worker is stopped
                    }
                    super.handle(record);
                }
            };
            var budget = new StageConsumer.Options(3, Duration.ofMinutes(5), Duration.ofMillis(200), 3);
            produce(kafka, "it.jobs", 0, "never-settles", "next");
            // Three workers in turn start the job and are stopped (scaled away, redeployed): the
            // stops are counted in Kafka, so the fourth gives the job up instead of running it again.
            for (int member = 0; member < 3; member++) {
                int seen = member + 1;
                try (var consumer = new StageConsumer(kafka.connection(), List.of("it.jobs"), "it-budget",
                        "m" + member, recorder, budget)) {
                    await().atMost(Duration.ofSeconds(60)).until(() -> starts.get() >= seen);
                }
            }
            try (var consumer = new StageConsumer(kafka.connection(), List.of("it.jobs"), "it-budget", "last",
                    recorder, budget)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> recorder.handled.contains("next"));
            }
            assertThat(recorder.gaveUp).containsExactly("never-settles");
            assertThat(starts.get()).as("runs before the budget ran out").isEqualTo(3);
        }
    }

    @Test
    void aGroupWithoutCommittedOffsetsReadsRecentRecordsNotTheWholeTopic(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            kafka.createTopics(Map.of("it.jobs", 1));
            long monthAgo = System.currentTimeMillis() - Duration.ofDays(30).toMillis();
            try (var producer = new KafkaProducer<String, byte[]>(KafkaSettings.producer(kafka.bootstrapServers(), "it"))) {
                // A job finished long ago, in a topic kept for ever, whose group's offsets expired.
                producer.send(new ProducerRecord<>("it.jobs", 0, monthAgo, "month-old", new byte[0])).get();
                producer.send(new ProducerRecord<>("it.jobs", 0, "recent", new byte[0])).get();
            }
            var recorder = new Recorder();
            try (var consumer = new StageConsumer(kafka.connection(), List.of("it.jobs"), "it-no-offsets", "a",
                    recorder, options(3, Duration.ofMinutes(5)))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> recorder.handled.contains("recent"));
                Thread.sleep(2000);
            }
            assertThat(recorder.handled).containsExactly("recent");
        }
    }

    @Test
    void aJobHandedBackIsDeliveredAgainUncommittedAndUncounted(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            kafka.createTopics(Map.of("it.jobs", 1));
            var deliveries = new AtomicInteger();
            var recorder = new Recorder() {
                @Override
                public void handle(ConsumerRecord<String, byte[]> record) throws Exception {
                    // As a train worker whose lease another worker took over: no outcome, no commit.
                    if (record.key().equals("contended") && deliveries.incrementAndGet() <= 2) {
                        throw new StageConsumer.HandedBack("lost the job's lease");
                    }
                    super.handle(record);
                }
            };
            // One attempt allowed: hand-backs must not use it up.
            try (var consumer = new StageConsumer(kafka.connection(), List.of("it.jobs"), "it-handback", "a",
                    recorder, options(1, Duration.ofMinutes(5)))) {
                produce(kafka, "it.jobs", 0, "contended", "next");
                await().atMost(Duration.ofSeconds(60)).until(() -> recorder.handled.contains("next"));
            }
            assertThat(deliveries.get()).isEqualTo(3);
            assertThat(recorder.handled).contains("contended");
            assertThat(recorder.gaveUp).isEmpty();
        }
    }

    @Test
    void aJobOverItsTimeLimitIsGivenUpAndTheNextRuns(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            kafka.createTopics(Map.of("it.jobs", 1));
            var recorder = new Recorder();
            recorder.blockers.add("endless");
            try (var consumer = new StageConsumer(kafka.connection(), List.of("it.jobs"), "it-limit", "a",
                    recorder, options(3, Duration.ofSeconds(2)))) {
                produce(kafka, "it.jobs", 0, "endless", "next");
                await().atMost(Duration.ofSeconds(60)).until(() -> recorder.handled.contains("next"));
            }
            assertThat(recorder.gaveUp).containsExactly("endless");
            assertThat(recorder.handled).doesNotContain("endless");
        }
    }

    @Test
    void aJobThatAsksNotToBeRetriedIsGivenUpAfterItsFirstFailedAttemptOrItsWorkersCrash(@TempDir Path dir)
            throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            kafka.createTopics(Map.of("it.jobs", 1));
            produce(kafka, "it.jobs", 0, "once-crashed", "once-failing", "retried-failing", "next");
            // What a worker killed during its attempt at offset 0 leaves: the attempt, committed before it ran.
            try (var crashed = new KafkaConsumer<String, byte[]>(
                    KafkaSettings.consumer(kafka.bootstrapServers(), "it-no-retry", "crashed"))) {
                crashed.commitSync(Map.of(new TopicPartition("it.jobs", 0), new OffsetAndMetadata(0,
                        "attempts=1;handbacks=0;since=" + System.currentTimeMillis())));
            }
            var attempts = new ConcurrentHashMap<String, AtomicInteger>();
            var lastErrors = new ConcurrentHashMap<String, String>();
            var recorder = new Recorder() {
                @Override
                public boolean retried(ConsumerRecord<String, byte[]> record) {
                    return !record.key().startsWith("once-");
                }

                @Override
                public void handle(ConsumerRecord<String, byte[]> record) throws Exception {
                    attempts.computeIfAbsent(record.key(), k -> new AtomicInteger()).incrementAndGet();
                    if (record.key().endsWith("-failing")) {
                        throw new IllegalStateException("the store answered 500");
                    }
                    super.handle(record);
                }

                @Override
                public void giveUp(ConsumerRecord<String, byte[]> record, Exception lastError) throws Exception {
                    lastErrors.put(record.key(), lastError.getMessage());
                    super.giveUp(record, lastError);
                }
            };
            try (var consumer = new StageConsumer(kafka.connection(), List.of("it.jobs"), "it-no-retry", "a",
                    recorder, options(3, Duration.ofMinutes(5)))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> recorder.handled.contains("next"));
            }
            assertThat(attempts.get("once-crashed")).as("its one attempt was the crashed one").isNull();
            assertThat(attempts.get("once-failing")).hasValue(1);
            assertThat(attempts.get("retried-failing")).hasValue(3);
            assertThat(recorder.gaveUp).containsExactlyInAnyOrder("once-crashed", "once-failing", "retried-failing");
            assertThat(lastErrors.get("once-failing")).contains("not retried as the job asked");
            assertThat(lastErrors.get("retried-failing")).doesNotContain("not retried");
        }
    }
}
