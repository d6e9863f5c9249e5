package org.ltxfleet.common.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * A file made once for the whole fleet and shared through the store, such as the tiny preset's
 * base weights: when many workers start at the same moment, one makes it (the one whose
 * create-only {@code key.making} marker lands) and uploads it; the others wait for the object and
 * download it. A maker that dies leaves a marker that goes stale; the next waiter then makes it.
 */
public final class SharedFiles {

    /** Makes the file at the given path. */
    @FunctionalInterface
    public interface Maker {
        void make(Path target) throws IOException;
    }

    private static final Duration POLL = Duration.ofSeconds(1);

    private SharedFiles() {
    }

    /**
     * The file at {@code local}: already there, downloaded from {@code key}, or made by
     * {@code maker} and uploaded there; a marker older than {@code staleAfter} counts as a dead maker's.
     */
    public static Path ensure(ObjectStore store, String key, Path local, Maker maker, Duration staleAfter,
                              Consumer<String> log) throws IOException {
        if (Files.exists(local)) {
            return local;
        }
        Files.createDirectories(local.toAbsolutePath().getParent());
        String marker = key + ".making";
        boolean told = false;
        while (true) {
            if (store.exists(key)) {
                return store.get(key, local);
            }
            byte[] claim = ("{\"since\":\"" + Instant.now() + "\"}").getBytes(StandardCharsets.UTF_8);
            if (store.createIfAbsent(marker, claim, "application/json")) {
                return make(store, key, marker, local, maker);
            }
            Instant since = store.lastModified(marker);
            if (since != null && since.isBefore(Instant.now().minus(staleAfter))) {
                log.accept("the maker of " + key + " has been silent since " + since + ": taking over");
                store.delete(marker);
                continue;
            }
            if (!told) {
                log.accept("another worker is making " + key + "; waiting for it");
                told = true;
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for " + key);
            }
        }
    }

    private static Path make(ObjectStore store, String key, String marker, Path local, Maker maker)
            throws IOException {
        Path partial = local.resolveSibling(local.getFileName() + ".making");
        try {
            Files.deleteIfExists(partial);
            maker.make(partial);
            store.put(key, partial);
            return Files.move(partial, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
            store.delete(marker);
        }
    }
}
