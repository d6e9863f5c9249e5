package org.ltxfleet.gateway.projection;

import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the projection's memory to the live and recent jobs: every minute it drops the log lines
 * and idempotency keys of jobs that ended longer ago than the log retention, and every few seconds
 * it writes such jobs to the {@link JobArchive} and evicts them (a job the store does not take is
 * tried again); evictions are remembered one retention, then forgotten. Before a job is evicted it is
 * also written wherever else it must outlive the projection ({@code alsoKeep}: its owner's list of requests).
 */
public final class LogSweeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogSweeper.class);
    /** Jobs archived per pass: a replay from the start queues every old job at once. */
    private static final int BATCH = 500;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("log-sweeper").daemon().factory());
    private final JobProjection projection;
    private final JobArchive archive;
    private final Consumer<SavedJob> alsoKeep;

    /** Starts sweeping {@code projection} into {@code archive}, each job also into {@code alsoKeep} before it is evicted. */
    public LogSweeper(JobProjection projection, JobArchive archive, Consumer<SavedJob> alsoKeep) {
        this.projection = projection;
        this.archive = archive;
        this.alsoKeep = alsoKeep;
        timer.scheduleWithFixedDelay(this::sweep, 1, 60, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(this::archive, 5, 5, TimeUnit.SECONDS);
    }

    private void sweep() {
        try {
            Instant now = Instant.now();
            projection.dropExpiredLogs(now);
            projection.dropOldEvictions(now);
        } catch (RuntimeException e) {
            LOG.warn("sweeping the projection: {}", e.toString());
        }
    }

    /** Archives and evicts what the projection offers; returns how many jobs were evicted. */
    int archive() {
        int evicted = 0;
        for (var jobs = projection.archivable(BATCH); !jobs.isEmpty(); jobs = projection.archivable(BATCH)) {
            for (SavedJob job : jobs) {
                try {
                    archive.write(job);
                    alsoKeep.accept(job);
                    projection.evict(job.requestId(), Instant.now());
                    evicted++;
                } catch (RuntimeException e) {
                    projection.archiveLater(job.requestId());
                    LOG.warn("cannot archive job {} yet ({}); it stays in memory and is tried again", job.requestId(),
                            e.toString());
                    return evicted;
                }
            }
        }
        return evicted;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
