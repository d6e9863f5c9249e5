package org.ltxfleet.common.kafka;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.JobEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a stage's records and waits until Kafka has them (acks=all), so a worker commits a job's
 * offset only after its outcome is durable. A broker outage pauses the writer (and so the job
 * that writes) instead of failing it: a write that times out or meets a retriable error is tried
 * again with back-off for up to {@link #DEFAULT_OUTAGE_TOLERANCE}, after which it throws
 * {@link BrokerUnavailable}, on which a {@link StageConsumer} pauses the job (uncounted) and tries
 * it again rather than failing it. A record
 * written again after a timeout may land twice; readers tolerate that (events carry their id, the
 * ledger counts one charge per job). Thread-safe.
 */
public final class EventWriter implements AutoCloseable {

    /** How long one write waits out a broker outage before it gives the job back to its stage. */
    public static final Duration DEFAULT_OUTAGE_TOLERANCE = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(EventWriter.class);
    private static final IntervalFunction BACKOFF =
            IntervalFunction.ofExponentialRandomBackoff(Duration.ofSeconds(1), 2.0, 0.2, Duration.ofSeconds(10));

    private final KafkaProducer<String, byte[]> producer;
    private final String source;
    private final Duration outageTolerance;
    private volatile java.util.function.Consumer<JobEvent> emitted = event -> { };

    /** A writer whose events name {@code source} (e.g. {@code preprocess-worker/host}). */
    public EventWriter(KafkaConnection kafka, String source) {
        this(kafka, source, DEFAULT_OUTAGE_TOLERANCE);
    }

    /** A writer that waits out a broker outage of up to {@code outageTolerance}. */
    public EventWriter(KafkaConnection kafka, String source, Duration outageTolerance) {
        this.producer = new KafkaProducer<>(kafka.producer(source.replace('/', '-')));
        this.source = source;
        this.outageTolerance = outageTolerance;
    }

    /** Writes one event of a job and waits for it to be durable. */
    public JobEvent emit(String requestId, String keyId, EventType type, Object payload) {
        JobEvent event = JobEvent.of(requestId, keyId, type, source, payload);
        send(Records.event(event));
        emitted.accept(event);
        return event;
    }

    /** Tells {@code listener} of every event written from now on, once it is durable (metrics). */
    public void onEmitted(java.util.function.Consumer<JobEvent> listener) {
        this.emitted = listener;
    }

    /** Writes any record and waits for it to be durable, through an outage of up to the tolerance. */
    public void send(ProducerRecord<String, byte[]> record) {
        long deadline = System.nanoTime() + outageTolerance.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                producer.send(record).get(30, TimeUnit.SECONDS);
                if (attempt > 1) {
                    LOG.info("wrote to {} after {} attempts", record.topic(), attempt);
                }
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing to " + record.topic(), e);
            } catch (ExecutionException | TimeoutException e) {
                boolean transientFailure = e instanceof TimeoutException || e.getCause() instanceof RetriableException;
                long wait = BACKOFF.apply(attempt);
                if (!transientFailure) {
                    throw new IllegalStateException("could not write to " + record.topic() + ": " + e, e);
                }
                if (System.nanoTime() + wait * 1_000_000 > deadline) {
                    throw new BrokerUnavailable(record.topic(), outageTolerance, e);
                }
                LOG.warn("could not write to {} yet ({}); trying again in {} ms", record.topic(), e.getCause(), wait);
                pause(wait, record.topic());
            }
        }
    }

    private static void pause(long millis, String topic) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to write to " + topic, e);
        }
    }

    /** A write that found no broker for the whole outage tolerance: the job waits, it has not failed. */
    public static final class BrokerUnavailable extends IllegalStateException {
        public BrokerUnavailable(String topic, Duration waited, Exception cause) {
            super("could not write to " + topic + " for " + waited.toSeconds() + " s: " + cause, cause);
        }

        /** Whether {@code error} or one of its causes is an outage. */
        static boolean in(Throwable error) {
            for (Throwable t = error; t != null; t = t.getCause()) {
                if (t instanceof BrokerUnavailable) {
                    return true;
                }
            }
            return false;
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

    /** The producer's own meters (record rates, errors, request latency), for the worker's /metrics. */
    public io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics meters() {
        return new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(producer);
    }
}
