package org.ltxfleet.common.kafka;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * How one topic of the fleet is made: partitions, how long records are kept and why. One list,
 * {@link Topics#specs()}, serves the embedded stack, {@code ./fleet topics} on a user's cluster
 * and docs/OPERATIONS.md.
 *
 * @param partitions the embedded stack's count; on a cluster, as many as the largest worker pool
 * @param retention  how long records are kept; null keeps them forever (the projection and the
 *                   ledger replay these topics)
 */
public record TopicSpec(String name, int partitions, Duration retention, String purpose) {

    /** The topic as Kafka's admin client creates it; {@code min.insync.replicas} 2 where the replication allows. */
    public NewTopic newTopic(short replication) {
        return new NewTopic(name, partitions, replication).configs(configs(replication));
    }

    /** Its topic configs: retention, delete cleanup (never compaction) and the in-sync replicas acks=all waits for. */
    public Map<String, String> configs(short replication) {
        return Map.of("retention.ms", retention == null ? "-1" : Long.toString(retention.toMillis()),
                "cleanup.policy", "delete",
                "min.insync.replicas", Integer.toString(Math.min(2, replication)));
    }
}
