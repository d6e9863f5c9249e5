package org.ltxfleet.gateway.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PeriodicSnapshotsTest {

    @Test
    void theReaderNeverCopiesTheStateItself() throws Exception {
        var copiedOn = new AtomicReference<String>();
        var copying = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        // A copy as slow as a large projection's: the reader must not wait for it.
        try (var snapshots = new PeriodicSnapshots<String>("projection", Duration.ZERO, () -> {
            copiedOn.set(Thread.currentThread().getName());
            copying.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "state";
        }, null)) {
            Thread reader = Thread.ofPlatform().name("reader").start(() ->
                    snapshots.accept(Map.of(new TopicPartition("ltx.events", 0), 10L)));
            assertThat(copying.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(copiedOn.get()).as("the thread that copied the state").isNotEqualTo("reader")
                    .contains("snapshots");
            reader.join(10_000);
            assertThat(reader.isAlive()).as("the reader went on while the copy was still being made").isFalse();
            release.countDown();
        }
    }
}
