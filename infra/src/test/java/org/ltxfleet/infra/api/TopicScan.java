package org.ltxfleet.infra.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.ltxfleet.common.kafka.KafkaSettings;

/** Reads topics from their beginning to their current end, for assertions on what was written. */
final class TopicScan {

    private TopicScan() {
    }

    /** Every record with this key now on {@code topics}, in each partition's order. */
    static List<ConsumerRecord<String, byte[]>> withKey(String bootstrap, List<String> topics, String key) {
        return matching(bootstrap, topics, key::equals);
    }

    /** Every record whose key passes {@code keys} now on {@code topics}, in each partition's order. */
    static List<ConsumerRecord<String, byte[]>> matching(String bootstrap, List<String> topics,
                                                        java.util.function.Predicate<String> keys) {
        var found = new ArrayList<ConsumerRecord<String, byte[]>>();
        try (var consumer = new KafkaConsumer<String, byte[]>(KafkaSettings.consumer(bootstrap, null, "topic-scan"))) {
            var partitions = topics.stream().flatMap(t -> consumer.partitionsFor(t).stream())
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && keys.test(record.key())) {
                        found.add(record);
                    }
                }
            }
        }
        return found;
    }
}
