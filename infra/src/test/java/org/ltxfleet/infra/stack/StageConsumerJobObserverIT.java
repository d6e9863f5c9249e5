package org.ltxfleet.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ltxfleet.infra.stack.StageConsumerFaultsIT.produce;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.kafka.StageConsumer;

/**
 * A stage's consumer tells its {@link StageConsumer.JobObserver} when this worker takes a job and
 * when it lets go of it, however the job ends: done, failed and given up, or handed back; an
 * observer set while a job runs is told of that job. The pod deletion cost hangs on this: a start
 * without its end would leave an idle pod costly to delete.
 */
class StageConsumerJobObserverIT {

    @Test
    void everyJobTakenIsReportedStartedThenEndedWhetherItIsDoneFailsOrIsHandedBack(@TempDir Path dir)
            throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            kafka.createTopics(Map.of("it.jobs", 1));
            var seen = new CopyOnWriteArrayList<String>();
            var handBacks = new AtomicInteger();
            var running = new CountDownLatch(1);
            var observed = new CountDownLatch(1);
            var handler = new StageConsumer.Handler() {
                @Override
                public boolean claim(ConsumerRecord<String, byte[]> record) {
                    seen.add("claim " + record.key());
                    return !record.key().equals("finished-elsewhere");
                }

                @Override
                public void release(ConsumerRecord<String, byte[]> record) {
                    seen.add("release " + record.key());
                }

                @Override
                public void handle(ConsumerRecord<String, byte[]> record) throws Exception {
                    if (record.key().equals("running")) {
                        running.countDown();
                        observed.await();
                    }
                    if (record.key().equals("fails")) {
                        throw new IllegalStateException("a bad job");
                    }
                    if (record.key().equals("handed-back") && handBacks.incrementAndGet() == 1) {
                        throw new StageConsumer.HandedBack("lost the job's lease");
                    }
                }

                @Override
                public void giveUp(ConsumerRecord<String, byte[]> record, Exception lastError) {
                    seen.add("gave up " + record.key());
                }
            };
            try (var consumer = new StageConsumer(kafka.connection(), List.of("it.jobs"), "it-observer", "a", handler,
                    new StageConsumer.Options(1, Duration.ofMinutes(5), Duration.ofMillis(200)))) {
                produce(kafka, "it.jobs", 0, "running");
                running.await();
                // Set while a job runs, as a worker sets its pod's cost up after its consumer started.
                consumer.observeJobs(new StageConsumer.JobObserver() {
                    @Override
                    public void jobStarted(String key) {
                        seen.add("started " + key);
                    }

                    @Override
                    public void jobEnded(String key) {
                        seen.add("ended " + key);
                    }
                });
                observed.countDown();
                produce(kafka, "it.jobs", 0, "done", "fails", "handed-back", "finished-elsewhere", "last");
                await().atMost(Duration.ofSeconds(60)).until(() -> seen.contains("ended last"));
            }
            assertThat(seen).containsExactly(
                    "claim running", "started running", "release running", "ended running",
                    "claim done", "started done", "release done", "ended done",
                    "claim fails", "started fails", "gave up fails", "release fails", "ended fails",
                    "claim handed-back", "started handed-back", "release handed-back", "ended handed-back",
                    "claim handed-back", "started handed-back", "release handed-back", "ended handed-back",
                    "claim finished-elsewhere",
                    "claim last", "started last", "release last", "ended last");
        }
    }
}
