package org.ltxfleet.gateway.projection;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.JobMessage;
import org.ltxfleet.common.kafka.Records;
import org.ltxfleet.common.kafka.TopicReplayer;
import org.ltxfleet.common.kafka.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the {@link JobProjection} from {@code ltx.jobs} and {@code ltx.events}, always from the
 * beginning: the gateway keeps no state of its own, so every instance reads the whole history.
 */
public final class ProjectionConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionConsumer.class);

    private final JobProjection projection;
    private final TopicReplayer reader;

    /** Starts reading in a background thread. */
    public ProjectionConsumer(String bootstrapServers, JobProjection projection) {
        this.projection = projection;
        this.reader = new TopicReplayer(bootstrapServers, "gateway-projection", java.util.stream.Stream.concat(Topics.jobTopics().stream(), java.util.stream.Stream.of(Topics.EVENTS)).toList(),
                this::apply);
    }

    /** Whether the projection has read everything that existed when the gateway started. */
    public boolean ready() {
        return reader.ready();
    }

    /** Waits until {@link #ready()}; returns false on timeout. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        boolean ready = reader.awaitReady(timeout);
        if (ready) {
            LOG.info("projection caught up: {} jobs", projection.size());
        }
        return ready;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        try {
            if (Topics.jobTopics().contains(record.topic())) {
                projection.submitted(Json.fromBytes(record.value(), JobMessage.class).onTopic(record.topic()),
                        Lane.of(record.topic()));
            } else {
                projection.apply(Records.readEvent(record));
            }
        } catch (UncheckedIOException | IllegalArgumentException | NullPointerException e) {
            // A malformed message from a user's own producer must not stop the projection.
            LOG.warn("skipping malformed record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
    }

    /** The health of the reader's loop. */
    public org.ltxfleet.common.kafka.LoopHealth health() {
        return reader.health();
    }

    @Override
    public void close() {
        reader.close();
    }
}
