package org.ltxfleet.gateway.projection;

import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Every minute, drops the log lines of jobs that ended longer ago than the projection keeps them. */
public final class LogSweeper implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("log-sweeper").daemon().factory());

    /** Starts sweeping {@code projection}. */
    public LogSweeper(JobProjection projection) {
        timer.scheduleWithFixedDelay(() -> projection.dropExpiredLogs(Instant.now()), 1, 1, TimeUnit.MINUTES);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
