package org.ltxfleet.gateway.snapshot;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a reader's snapshot every {@code interval} once it has read something new: called by the
 * reader between polls with the positions its state has been built to, it copies the state and
 * writes it to the store on a thread of its own, so the reader goes on at once instead of copying
 * every job. The copy may then hold records read after those positions: the readers' folds are
 * idempotent for that (the projection's jobs know the last event they folded, the ledger counts a
 * request id once), so a replay from the positions skips what the copy already holds. A write that
 * fails is retried at the next interval.
 */
public final class PeriodicSnapshots<T> implements Consumer<Map<TopicPartition, Long>>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeriodicSnapshots.class);

    private final String reader;
    private final long intervalNanos;
    private final Supplier<T> state;
    private final SnapshotStore store;
    private final ExecutorService writer;
    private final AtomicBoolean writing = new AtomicBoolean();
    private volatile boolean closed;
    private long lastAttempt = System.nanoTime();
    private volatile Map<TopicPartition, Long> lastSaved = Map.of();

    /** Snapshots of {@code reader}'s {@code state} into {@code store}, the first one an interval after start. */
    public PeriodicSnapshots(String reader, Duration interval, Supplier<T> state, SnapshotStore store) {
        this.reader = reader;
        this.intervalNanos = interval.toNanos();
        this.state = state;
        this.store = store;
        this.writer = Executors.newSingleThreadExecutor(Thread.ofPlatform().name(reader + "-snapshots").daemon()
                .factory());
    }

    /** Called by the reader between polls with the positions its state was built to. */
    @Override
    public void accept(Map<TopicPartition, Long> positions) {
        long now = System.nanoTime();
        if (now - lastAttempt < intervalNanos || positions.equals(lastSaved) || !writing.compareAndSet(false, true)) {
            return;
        }
        lastAttempt = now;
        Map<TopicPartition, Long> at = Map.copyOf(positions);
        try {
            writer.execute(() -> write(at));
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            writing.set(false);
        }
    }

    private void write(Map<TopicPartition, Long> at) {
        try {
            long started = System.nanoTime();
            T copy;
            try {
                copy = state.get();
            } catch (RuntimeException notYet) {
                LOG.debug("no {} snapshot this time: {}", reader, notYet.toString());
                return;
            }
            store.save(reader, at, copy);
            lastSaved = at;
            LOG.info("saved the {} snapshot in {} ms", reader, (System.nanoTime() - started) / 1_000_000);
        } catch (Exception e) {
            if (!closed) {
                LOG.warn("cannot save the {} snapshot ({}); trying again in {} s", reader, e.toString(),
                        intervalNanos / 1_000_000_000);
            }
        } finally {
            writing.set(false);
        }
    }

    @Override
    public void close() {
        closed = true;
        writer.shutdownNow();
    }
}
