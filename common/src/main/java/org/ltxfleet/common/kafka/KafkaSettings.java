package org.ltxfleet.common.kafka;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Producer and consumer settings every module starts from; keys are request ids, values JSON bytes. */
public final class KafkaSettings {

    private KafkaSettings() {
    }

    /**
     * A durable producer: a record is acknowledged only when every in-sync replica has it, and
     * retries cannot duplicate or reorder a job's events. Timeouts are short so a dead cluster
     * turns into a fast 503 instead of a hung request.
     */
    public static Properties producer(String bootstrapServers, String clientId) {
        var p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        // acks=all + idempotence: no accepted job is lost on a leader change, none is written twice.
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        // A millisecond of lingering batches concurrent submits without hurting p99.
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        // send() must not block a request thread for long when metadata is unavailable.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        // Upper bound on an acknowledgement; past it the caller answers 503 and the client retries.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        return p;
    }

    /**
     * A producer whose writes and its consumer's offsets commit together or not at all (read-process-write
     * exactly once). {@code instance} must be unique to the process: zombies are fenced by the
     * consumer group's generation (KIP-447), not by a shared transactional id.
     */
    public static Properties transactionalProducer(String bootstrapServers, String clientId, String instance) {
        var p = producer(bootstrapServers, clientId);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, clientId + "-" + instance);
        return p;
    }

    /**
     * A consumer-group member that commits by hand: workers commit a job only after its outcome is
     * written, so a crash hands the job to another member instead of losing it.
     */
    public static Properties consumer(String bootstrapServers, String groupId, String clientId) {
        var p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // A new group starts at the oldest job: nothing submitted before the first worker is skipped.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Billing and results may be written in transactions; never read aborted ones.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        // A member that dies (kill -9, a lost node) hands its partitions on after 10 s, not 45.
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
        return p;
    }
}
