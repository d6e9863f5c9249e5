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
 * where each partition of the replayed topics ends. A snapshot fits only if it was taken on this
 * cluster and none of its positions lies past an end (which would mean the topics were recreated).
 */
public final class KafkaLog {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaLog.class);

    private final String clusterId;
    private final Map<TopicPartition, Long> ends;

    /** A cluster with this id whose partitions end at these offsets. */
    public KafkaLog(String clusterId, Map<TopicPartition, Long> ends) {
        this.clusterId = clusterId;
        this.ends = Map.copyOf(ends);
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
            for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get(wait, TimeUnit.MILLISECONDS)
                    .values()) {
                topic.partitions().forEach(p -> latest.put(new TopicPartition(topic.name(), p.partition()),
                        OffsetSpec.latest()));
            }
            var ends = new HashMap<TopicPartition, Long>();
            admin.listOffsets(latest).all().get(wait, TimeUnit.MILLISECONDS)
                    .forEach((partition, info) -> ends.put(partition, info.offset()));
            return Optional.of(new KafkaLog(clusterId, ends));
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
        }
        return Optional.empty();
    }
}
