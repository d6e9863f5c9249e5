package org.ltxfleet.common.kafka;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.JobEvent;

/**
 * Writes a stage's records and waits until Kafka has them (acks=all), so a worker commits a job's
 * offset only after its outcome is durable. Thread-safe.
 */
public final class EventWriter implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final String source;

    /** A writer whose events name {@code source} (e.g. {@code preprocess-worker/host}). */
    public EventWriter(String bootstrapServers, String source) {
        this.producer = new KafkaProducer<>(KafkaSettings.producer(bootstrapServers, source.replace('/', '-')));
        this.source = source;
    }

    /** Writes one event of a job and waits for it to be durable. */
    public JobEvent emit(String requestId, String keyId, EventType type, Object payload) {
        JobEvent event = JobEvent.of(requestId, keyId, type, source, payload);
        send(Records.event(event));
        return event;
    }

    /** Writes any record and waits for it to be durable. */
    public void send(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + record.topic(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not write to " + record.topic() + ": " + e, e);
        }
    }

    /** Who the events are from. */
    public String source() {
        return source;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
