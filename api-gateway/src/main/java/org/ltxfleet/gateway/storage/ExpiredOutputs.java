package org.ltxfleet.gateway.storage;

import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.ltxfleet.common.s3.JobObjects;
import org.ltxfleet.common.s3.ObjectStore;
import org.ltxfleet.gateway.projection.JobProjection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes a completed job's outputs ({@code jobs/{id}/outputs/}) once the retention it was
 * submitted with has passed. Every gateway runs this (deleting twice is harmless); a gateway that
 * starts re-deletes what expired in the past week, in case none was running then. What fails here
 * is logged and left to the bucket's own lifecycle rules.
 */
public final class ExpiredOutputs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExpiredOutputs.class);

    private final JobProjection projection;
    private final ObjectStore store;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("expired-outputs").daemon().factory());

    /** Checks the projection's retention deadlines every second. */
    public ExpiredOutputs(JobProjection projection, ObjectStore store) {
        this.projection = projection;
        this.store = store;
        timer.scheduleWithFixedDelay(this::deleteExpired, 1, 1, TimeUnit.SECONDS);
    }

    private void deleteExpired() {
        for (var expired : projection.takeExpiredOutputs(Instant.now())) {
            try {
                store.deletePrefix(JobObjects.outputsPrefix(expired.requestId()));
                LOG.info("deleted the outputs of {}: their retention ended at {}", expired.requestId(), expired.at());
            } catch (RuntimeException e) {
                LOG.warn("could not delete the outputs of {} (retention ended at {}): {}", expired.requestId(),
                        expired.at(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
