package org.ltxfleet.gateway.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** A snapshot is restored only on the cluster, and the history, it was taken from. */
class KafkaLogTest {

    private final KafkaLog log = new KafkaLog("cluster-1", Map.of(new TopicPartition("ltx.events", 0), 100L,
            new TopicPartition("ltx.events", 1), 5L, new TopicPartition("ltx.jobs.low", 0), 0L));

    private static Snapshot<String> snapshot(int format, String cluster, Map<String, Long> positions) {
        return new Snapshot<>(format, cluster, Instant.now(), positions, "state");
    }

    @Test
    void aSnapshotWithinTheLogFits() {
        assertThat(log.misfit(snapshot(Snapshot.FORMAT, "cluster-1", Map.of("ltx.events:0", 100L, "ltx.events:1", 3L))))
                .isEmpty();
        assertThat(SnapshotStore.positions(snapshot(1, "c", Map.of("ltx.jobs.low:0", 7L))))
                .containsExactly(Map.entry(new TopicPartition("ltx.jobs.low", 0), 7L));
    }

    @Test
    void eachMisfitIsNamed() {
        assertThat(log.misfit(snapshot(2, "cluster-1", Map.of()))).get().asString().contains("format 2");
        assertThat(log.misfit(snapshot(1, "cluster-2", Map.of()))).get().asString().contains("cluster-2");
        assertThat(log.misfit(snapshot(1, "cluster-1", Map.of("ltx.events:0", 101L)))).get().asString()
                .contains("past the partition's end 100");
        assertThat(log.misfit(snapshot(1, "cluster-1", Map.of("ltx.events:7", 1L)))).get().asString()
                .contains("ltx.events-7 is gone");
        assertThat(log.misfit(snapshot(1, "cluster-1", Map.of("ltx.events", 1L)))).get().asString()
                .contains("unreadable");
        assertThat(log.misfit(new Snapshot<>(1, "cluster-1", Instant.now(), Map.of(), null))).get().asString()
                .contains("no state");
    }

    @Test
    void aSnapshotWhoseNextRecordsWereDeletedDoesNotFit() {
        var trimmed = new KafkaLog("cluster-1", Map.of(new TopicPartition("ltx.events", 0), 100L),
                Map.of(new TopicPartition("ltx.events", 0), 40L));
        assertThat(trimmed.misfit(snapshot(Snapshot.FORMAT, "cluster-1", Map.of("ltx.events:0", 40L)))).isEmpty();
        assertThat(trimmed.misfit(snapshot(Snapshot.FORMAT, "cluster-1", Map.of("ltx.events:0", 39L)))).get().asString()
                .contains("before the partition's first offset 40");
    }
}
