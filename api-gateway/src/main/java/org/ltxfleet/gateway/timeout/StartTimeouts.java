package org.ltxfleet.gateway.timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.JobEvent;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.kafka.ControlMessage;
import org.ltxfleet.common.kafka.Records;
import org.ltxfleet.gateway.projection.JobProjection;
import org.ltxfleet.gateway.submit.JobPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the jobs that no worker started before their {@code X-Fal-Request-Timeout}: a FAILED event
 * with 504 {@code request_timeout} (billed 0), then a cancel on {@code ltx.control}, so a worker
 * that took the job a moment ago stops (its later end is a late duplicate). A job is
 * ended {@link #GRACE} after its deadline, time for a start just before it to reach the
 * projection; the preprocess worker refuses such a job at pickup on its own. Every gateway runs
 * this; their duplicate ends are harmless (the first end is the job's end).
 */
public final class StartTimeouts implements AutoCloseable {

    /** How long after its deadline a queued job is ended. */
    public static final Duration GRACE = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(StartTimeouts.class);

    private final JobProjection projection;
    private final JobPublisher publisher;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("start-timeouts").daemon().factory());

    /** Checks the projection's deadlines every half second. */
    public StartTimeouts(JobProjection projection, JobPublisher publisher) {
        this.projection = projection;
        this.publisher = publisher;
        timer.scheduleWithFixedDelay(this::endMissedStarts, 500, 500, TimeUnit.MILLISECONDS);
    }

    private void endMissedStarts() {
        for (var missed : projection.takeMissedStarts(Instant.now().minus(GRACE))) {
            publisher.send(Records.event(JobEvent.of(missed.requestId(), missed.keyId(), EventType.FAILED,
                            "api-gateway", Payloads.Failed.startTimeout(Payloads.STAGE_QUEUE))))
                    .thenCompose(ack -> publisher.send(Records.control(
                            ControlMessage.cancel(missed.requestId(), missed.keyId()))))
                    .whenComplete((ack, error) -> {
                        if (error != null) {
                            // Kafka is away: the worker that takes the job refuses it past its deadline.
                            LOG.warn("could not end {} past its start deadline: {}", missed.requestId(),
                                    error.toString());
                        }
                    });
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
