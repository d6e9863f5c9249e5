package org.ltxfleet.gateway.projection;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.apache.kafka.common.TopicPartition;

/**
 * Where this gateway's own job records landed, once it has recorded them in the projection: the
 * projection's reader passes over them instead of parsing and checking each job a second time to
 * learn nothing (reading its own submits back was a tenth of a saturated gateway's CPU, {@code
 * ./fleet bench gateway}). An offset is the record Kafka acknowledged there, so nothing another
 * producer wrote is passed over. Offsets the reader has already passed (an acknowledgement handled
 * after the read-back) are forgotten after its next poll. Thread-safe.
 */
final class OwnRecords {

    private final Map<TopicPartition, ConcurrentSkipListSet<Long>> offsets = new ConcurrentHashMap<>();

    /** The record at {@code offset} of {@code partition} is a job the projection holds already. */
    void add(TopicPartition partition, long offset) {
        offsets.computeIfAbsent(partition, p -> new ConcurrentSkipListSet<>()).add(offset);
    }

    /** Whether the record at {@code offset} is one of {@link #add}'s, forgetting it: each is read once. */
    boolean take(TopicPartition partition, long offset) {
        var own = offsets.get(partition);
        return own != null && own.remove(offset);
    }

    /** Forgets the offsets below each partition's next offset to read: they will not be read again. */
    void forgetBelow(Map<TopicPartition, Long> positions) {
        offsets.forEach((partition, own) -> {
            Long next = positions.get(partition);
            if (next != null && !own.isEmpty()) {
                own.headSet(next).clear();
            }
        });
    }

    /** Offsets remembered now. */
    int size() {
        return offsets.values().stream().mapToInt(ConcurrentSkipListSet::size).sum();
    }
}
