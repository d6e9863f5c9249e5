package org.ltxfleet.gateway.projection;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.ltxfleet.common.event.JobEvent;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.JobMessage;
import org.ltxfleet.common.kafka.KafkaSettings;
import org.ltxfleet.common.kafka.Records;
import org.ltxfleet.common.kafka.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the {@link JobProjection} from {@code ltx.jobs} and {@code ltx.events}, always from the
 * beginning: the gateway keeps no state of its own, so every instance reads the whole history
 * (no consumer group, no committed offsets). Ready once it has caught up with the end offsets seen
 * at start-up.
 */
public final class ProjectionConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionConsumer.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final JobProjection projection;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running = true;

    /** Starts reading in a background thread. */
    public ProjectionConsumer(String bootstrapServers, JobProjection projection) {
        Properties props = KafkaSettings.consumer(bootstrapServers, null, "gateway-projection");
        this.consumer = new KafkaConsumer<>(props);
        this.projection = projection;
        this.thread = Thread.ofPlatform().name("gateway-projection").daemon().unstarted(this::run);
        thread.start();
    }

    /** Whether the projection has read everything that existed when the gateway started. */
    public boolean ready() {
        return caughtUp.getCount() == 0;
    }

    /** Waits until {@link #ready()}; returns false on timeout. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            List<TopicPartition> partitions = partitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(record);
                }
                if (caughtUp.getCount() > 0 && reached(ends)) {
                    LOG.info("projection caught up: {} jobs", projection.size());
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            LOG.error("projection consumer stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private List<TopicPartition> partitions() {
        var result = new ArrayList<TopicPartition>();
        for (String topic : List.of(Topics.JOBS, Topics.EVENTS)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist; create the fleet's topics first");
            }
            infos.forEach(i -> result.add(new TopicPartition(i.topic(), i.partition())));
        }
        return result;
    }

    private boolean reached(Map<TopicPartition, Long> ends) {
        for (var end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        try {
            if (record.topic().equals(Topics.JOBS)) {
                JobMessage job = Json.fromBytes(record.value(), JobMessage.class);
                projection.submitted(job);
            } else {
                JobEvent event = Records.readEvent(record);
                projection.apply(event);
            }
        } catch (UncheckedIOException | IllegalArgumentException | NullPointerException e) {
            // A malformed message from a user's own producer must not stop the projection.
            LOG.warn("skipping malformed record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
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
