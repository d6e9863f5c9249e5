package org.ltxfleet.common.kafka;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.ltxfleet.common.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows which jobs clients asked to cancel, by reading all of {@code ltx.control} (no consumer
 * group: every worker needs every request). Workers ask it before taking a job and between steps.
 * Thread-safe.
 */
public final class CancellationWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CancellationWatcher.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Set<String> canceled = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;

    /** Starts watching in a background thread. */
    public CancellationWatcher(String bootstrapServers, String clientId) {
        this.consumer = new KafkaConsumer<>(KafkaSettings.consumer(bootstrapServers, null, clientId));
        this.thread = Thread.ofPlatform().name(clientId).daemon().unstarted(this::run);
        thread.start();
    }

    /** Whether a cancellation of the job has been seen. */
    public boolean isCanceled(String requestId) {
        return canceled.contains(requestId);
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CONTROL, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    read(record);
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            LOG.error("cancellation watcher stopped; cancellations will not be seen", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void read(ConsumerRecord<String, byte[]> record) {
        try {
            ControlMessage message = Json.fromBytes(record.value(), ControlMessage.class);
            if (message.action() == ControlMessage.Action.CANCEL) {
                canceled.add(message.requestId());
            }
        } catch (UncheckedIOException e) {
            LOG.warn("skipping malformed control message at offset {}", record.offset());
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
