package org.ltxfleet.gateway.submit;

import org.ltxfleet.common.kafka.KafkaConnection;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes the gateway's records to Kafka and reports when they are durable (acks=all). Sends run
 * on a dedicated thread because {@code KafkaProducer.send} may block while metadata is missing,
 * and an HTTP event loop must never block. Thread-safe.
 */
public final class JobPublisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("gateway-kafka-send").daemon().factory());

    /** A publisher whose acknowledgement wait is bounded by {@code ackTimeout}. */
    public JobPublisher(KafkaConnection kafka, Duration ackTimeout) {
        this.producer = new KafkaProducer<>(producerSettings(kafka, "api-gateway", ackTimeout));
    }

    /**
     * The gateway's producer settings under another client id: {@code ./fleet bench gateway}
     * gives its reference paths the same producer, so only what the gateway adds is compared.
     */
    public static Properties producerSettings(KafkaConnection kafka, String clientId, Duration ackTimeout) {
        Properties props = kafka.producer(clientId);
        long timeout = Math.max(ackTimeout.toMillis(), 1000);
        props.put("delivery.timeout.ms", Long.toString(timeout));
        props.put("request.timeout.ms", Long.toString(Math.min(timeout - 10, 5000)));
        props.put("max.block.ms", Long.toString(Math.min(timeout, 5000)));
        return props;
    }

    /** Sends a record; the future completes when every in-sync replica has it, or fails. */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        var done = new CompletableFuture<RecordMetadata>();
        try {
            sender.execute(() -> {
                try {
                    producer.send(record, (metadata, error) -> {
                        if (error != null) {
                            done.completeExceptionally(error);
                        } else {
                            done.complete(metadata);
                        }
                    });
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (RuntimeException rejected) {
            done.completeExceptionally(rejected);
        }
        return done;
    }

    /** The producer's own meters (record rates, errors, request latency), for the gateway's /metrics. */
    public io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics meters() {
        return new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(producer);
    }

    @Override
    public void close() {
        sender.shutdown();
        producer.close(Duration.ofSeconds(5));
    }
}
