package org.ltxfleet.common.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.ltxfleet.common.job.JobHold;
import org.ltxfleet.common.job.JobLease;

/**
 * A file made once for the whole fleet and shared through the store, such as the tiny preset's
 * base weights: when many workers start at the same moment, one makes it (the one that takes the
 * {@code key.making/} lease) and uploads it; the others wait for the object and download it. The
 * maker's lease beats on a thread of its own while it makes the file, so a maker that is killed
 * stops beating and the next waiter takes over within the lease's stale time (a minute by default),
 * however long making the file takes.
 */
public final class SharedFiles {

    /** Makes the file at the given path. */
    @FunctionalInterface
    public interface Maker {
        void make(Path target) throws IOException;
    }

    /** Who may make: this process's pid; each call adds an id, as workers of one JVM must not share a lease. */
    private static final String MAKER = "maker-" + ProcessHandle.current().pid() + "-";

    private SharedFiles() {
    }

    /**
     * The file at {@code local}: already there, downloaded from {@code key}, or made by
     * {@code maker} and uploaded there; a maker whose lease has not beaten for {@code timing.stale}
     * is dead and this worker takes over.
     */
    public static Path ensure(ObjectStore store, String key, Path local, Maker maker, JobLease.Timing timing,
                              Consumer<String> log) throws IOException {
        if (Files.exists(local)) {
            return local;
        }
        Files.createDirectories(local.toAbsolutePath().getParent());
        // Finished once the file is in the store: whoever made it, waiters download it.
        var hold = new JobHold(store, key + ".making/", key, MAKER + java.util.UUID.randomUUID(), timing);
        var waitedFor = new AtomicReference<String>();
        try {
            if (!hold.await(holder -> {
                waitedFor.set(holder);
                log.accept("another worker (" + holder + ") is making " + key + "; waiting for it");
            })) {
                return store.get(key, local);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + key);
        }
        try {
            if (waitedFor.get() != null) {
                log.accept(waitedFor.get() + " went silent while making " + key + ": taking over");
            }
            return make(store, key, local, maker);
        } finally {
            hold.close();
        }
    }

    private static Path make(ObjectStore store, String key, Path local, Maker maker) throws IOException {
        Path partial = local.resolveSibling(local.getFileName() + ".making");
        try {
            Files.deleteIfExists(partial);
            maker.make(partial);
            store.put(key, partial);
            return Files.move(partial, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
