package org.ltxfleet.gateway.snapshot;

import org.ltxfleet.common.kafka.KafkaConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka cluster a gateway starts against, as far as its snapshots care: the cluster's id and
 * where each partition of the replayed topics starts and ends. A snapshot fits only if it was taken
 * on this cluster and each of its positions lies within its partition: past an end means the topics
 * were recreated, before the start that the records after the snapshot were deleted (retention,
 * deleted records), so the state could not be brought up to date.
 */
public final class KafkaLog {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaLog.class);

    private final String clusterId;
    private final Map<TopicPartition, Long> ends;
    private final Map<TopicPartition, Long> starts;

    /** A cluster with this id whose partitions end at these offsets and hold every record before. */
    public KafkaLog(String clusterId, Map<TopicPartition, Long> ends) {
        this(clusterId, ends, Map.of());
    }

    /** A cluster with this id whose partitions start and end at these offsets (a missing start: 0). */
    public KafkaLog(String clusterId, Map<TopicPartition, Long> ends, Map<TopicPartition, Long> starts) {
        this.clusterId = clusterId;
        this.ends = Map.copyOf(ends);
        this.starts = Map.copyOf(starts);
    }

    /** Asks the cluster; empty (snapshots off for this start, with a warning) when it does not answer in time. */
    public static Optional<KafkaLog> describe(KafkaConnection kafka, List<String> topics, Duration timeout) {
        var props = kafka.admin("api-gateway-snapshots");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
        // The client refuses an API timeout shorter than its request timeout.
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
        long wait = timeout.toMillis();
        try (Admin admin = Admin.create(props)) {
            String clusterId = admin.describeCluster().clusterId().get(wait, TimeUnit.MILLISECONDS);
            var latest = new HashMap<TopicPartition, OffsetSpec>();
            var earliest = new HashMap<TopicPartition, OffsetSpec>();
            for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get(wait, TimeUnit.MILLISECONDS)
                    .values()) {
                topic.partitions().forEach(p -> {
                    var partition = new TopicPartition(topic.name(), p.partition());
                    latest.put(partition, OffsetSpec.latest());
                    earliest.put(partition, OffsetSpec.earliest());
                });
            }
            var ends = new HashMap<TopicPartition, Long>();
            admin.listOffsets(latest).all().get(wait, TimeUnit.MILLISECONDS)
                    .forEach((partition, info) -> ends.put(partition, info.offset()));
            var starts = new HashMap<TopicPartition, Long>();
            admin.listOffsets(earliest).all().get(wait, TimeUnit.MILLISECONDS)
                    .forEach((partition, info) -> starts.put(partition, info.offset()));
            return Optional.of(new KafkaLog(clusterId, ends, starts));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("cannot describe the Kafka cluster ({}): this gateway neither loads nor writes snapshots until "
                    + "it restarts, and replays from the beginning", e.toString());
            return Optional.empty();
        }
    }

    /** The cluster's id, written into every snapshot. */
    public String clusterId() {
        return clusterId;
    }

    /** Why {@code snapshot} cannot be restored on this cluster; empty when it can. */
    public Optional<String> misfit(Snapshot<?> snapshot) {
        if (snapshot.format() != Snapshot.FORMAT) {
            return Optional.of("it has format " + snapshot.format() + " and this gateway reads " + Snapshot.FORMAT);
        }
        if (!clusterId.equals(snapshot.clusterId())) {
            return Optional.of("it was taken on Kafka cluster " + snapshot.clusterId() + " and this is " + clusterId);
        }
        if (snapshot.positions() == null || snapshot.state() == null) {
            return Optional.of("it has no positions or no state");
        }
        Map<TopicPartition, Long> positions;
        try {
            positions = SnapshotStore.positions(snapshot);
        } catch (IllegalArgumentException e) {
            return Optional.of("its positions are unreadable (" + e.getMessage() + ")");
        }
        for (var position : positions.entrySet()) {
            Long end = ends.get(position.getKey());
            if (end == null) {
                return Optional.of("partition " + position.getKey() + " is gone");
            }
            if (position.getValue() > end) {
                return Optional.of("its position " + position.getValue() + " in " + position.getKey()
                        + " is past the partition's end " + end + " (were the topics recreated?)");
            }
            long start = starts.getOrDefault(position.getKey(), 0L);
            if (position.getValue() < start) {
                return Optional.of("its position " + position.getValue() + " in " + position.getKey()
                        + " is before the partition's first offset " + start + ": the records after the snapshot "
                        + "were deleted (retention, deleted records)");
            }
        }
        return Optional.empty();
    }
}
