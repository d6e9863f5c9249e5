package org.ltxfleet.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ltxfleet.infra.stack.StageConsumerFaultsIT.produce;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.kafka.StageConsumer;

/**
 * Counts runs, not outcomes: members joining and leaving a stage's group while a long job runs
 * never make a job run twice, overlap with itself, start again after it ended, or fail while its
 * holder still runs it. The handler holds jobs as the workers do (one holder per job, others wait),
 * here in memory; the store-backed hold is {@code JobLeaseIT}'s and the fleet ITs'.
 */
class StageConsumerRunsIT {

    /** One run of a job by one member. */
    record Run(String key, String member, long startNanos, long endNanos) {
    }

    /** Holds jobs in memory like {@code JobHold}, records every run; keys in {@code blockers} wait for {@code release}. */
    static final class Stage {
        final List<Run> runs = new CopyOnWriteArrayList<>();
        /** Every start, finished or not: a second start is a second run even if it never ends. */
        final List<String> starts = new CopyOnWriteArrayList<>();
        final Set<String> gaveUp = ConcurrentHashMap.newKeySet();
        final Map<String, String> holders = new ConcurrentHashMap<>();
        final Set<String> finished = ConcurrentHashMap.newKeySet();
        final Set<String> blockers = ConcurrentHashMap.newKeySet();
        final CountDownLatch blocking = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        StageConsumer.Handler member(String name) {
            return new StageConsumer.Handler() {
                public boolean claim(ConsumerRecord<String, byte[]> record) throws InterruptedException {
                    while (!finished.contains(record.key())) {
                        if (holders.putIfAbsent(record.key(), name) == null || name.equals(holders.get(record.key()))) {
                            return true;
                        }
                        Thread.sleep(50);
                    }
                    return false;
                }

                public void release(ConsumerRecord<String, byte[]> record) {
                    holders.remove(record.key(), name);
                }

                @Override
                public void handle(ConsumerRecord<String, byte[]> record) throws Exception {
                    long start = System.nanoTime();
                    starts.add(record.key());
                    if (blockers.contains(record.key())) {
                        blocking.countDown();
                        release.await();
                    }
                    finished.add(record.key());
                    runs.add(new Run(record.key(), name, start, System.nanoTime()));
                }

                @Override
                public void giveUp(ConsumerRecord<String, byte[]> record, Exception lastError) {
                    gaveUp.add(record.key());
                    finished.add(record.key());
                }
            };
        }

        List<String> runKeys() {
            return runs.stream().map(Run::key).toList();
        }
    }

    /** Pairs of runs of one job whose times overlap. */
    private static List<String> overlaps(List<Run> runs) {
        var found = new ArrayList<String>();
        for (Run a : runs) {
            for (Run b : runs) {
                if (a != b && a.key().equals(b.key()) && a.startNanos() < b.endNanos() && b.startNanos() < a.endNanos()) {
                    found.add(a + " / " + b);
                }
            }
        }
        return found;
    }

    private static StageConsumer start(EmbeddedKafka kafka, String group, String name, Stage stage, int maxAttempts) {
        return new StageConsumer(kafka.connection(), List.of("it.jobs"), group, name, stage.member(name),
                new StageConsumer.Options(maxAttempts, Duration.ofMinutes(5), Duration.ofMillis(200)));
    }

    @Test
    void aMemberThatInheritsABusyPartitionWaitsForItsHolderInsteadOfGivingTheJobUp(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            kafka.createTopics(Map.of("it.jobs", 1));
            var stage = new Stage();
            stage.blockers.add("long");
            // One attempt allowed: the member that inherits the partition must not spend it, nor give up.
            try (var holder = start(kafka, "it-inherit", "z", stage, 1)) {
                produce(kafka, "it.jobs", 0, "long");
                stage.blocking.await();
                // The joiner's id sorts first: Range assignment would hand it the busy partition. Whoever
                // gets it, the job must neither be given up nor run a second time.
                try (var joiner = start(kafka, "it-inherit", "a", stage, 1)) {
                    Thread.sleep(8000);
                    assertThat(stage.gaveUp).as("a job its holder still runs is not given up").isEmpty();
                    stage.release.countDown();
                    produce(kafka, "it.jobs", 0, "next");
                    await().atMost(Duration.ofSeconds(60)).until(() -> stage.runKeys().contains("next"));
                    Thread.sleep(3000);
                }
            }
            assertThat(stage.gaveUp).isEmpty();
            assertThat(stage.starts).as("each job starts once").containsExactlyInAnyOrder("long", "next");
            assertThat(stage.runKeys()).as("each job runs once").containsExactlyInAnyOrder("long", "next");
        }
    }

    @Test
    void membersJoiningAndLeavingTwiceDuringALongJobRunEveryJobOnceAndNeverTwiceAtATime(@TempDir Path dir)
            throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            kafka.createTopics(Map.of("it.jobs", 4));
            var stage = new Stage();
            stage.blockers.add("long");
            var expected = new ArrayList<String>(List.of("long"));
            try (var first = start(kafka, "it-churn", "m", stage, 3)) {
                produce(kafka, "it.jobs", 0, "long");
                stage.blocking.await();
                for (int round = 0; round < 2; round++) {
                    for (int p = 0; p < 4; p++) {
                        produce(kafka, "it.jobs", p, "r" + round + "-" + p);
                        expected.add("r" + round + "-" + p);
                    }
                    // Members join (one sorting before, one after the busy member) and leave while the job runs.
                    try (var before = start(kafka, "it-churn", "a" + round, stage, 3);
                         var after = start(kafka, "it-churn", "z" + round, stage, 3)) {
                        Thread.sleep(6000);
                    }
                    Thread.sleep(4000);
                }
                stage.release.countDown();
                try (var helper = start(kafka, "it-churn", "b", stage, 3)) {
                    await().atMost(Duration.ofSeconds(90)).until(() -> stage.runKeys().containsAll(expected));
                    Thread.sleep(5000);
                }
            }
            assertThat(stage.gaveUp).isEmpty();
            assertThat(stage.starts).as("every job starts exactly once").containsExactlyInAnyOrderElementsOf(expected);
            assertThat(stage.runKeys()).as("every job runs exactly once").containsExactlyInAnyOrderElementsOf(expected);
            assertThat(overlaps(stage.runs)).as("no two runs of one job at a time").isEmpty();
        }
    }
}
