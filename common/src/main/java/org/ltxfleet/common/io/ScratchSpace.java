package org.ltxfleet.common.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scratch space of one worker: a directory {@code ltx-<stage>-*} under the temp directory
 * that holds its jobs' working files, locked (an OS lock on its {@code .lock} file) while the
 * worker lives. A job's directory is deleted when the job is over; a worker that dies without
 * cleaning up (SIGKILL, out of memory) leaves its space behind, and the next worker of the stage
 * to start on that machine deletes every space whose lock it can take, since the OS released the
 * dead owner's lock with its process. Thread-safe.
 */
public final class ScratchSpace implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScratchSpace.class);
    private static final String LOCK = ".lock";
    /**
     * The spaces this JVM holds. Their lock files are never opened by a sweep here: closing any
     * channel of a file drops every lock the process holds on it (POSIX), which would free a live
     * space for another process to delete.
     */
    private static final java.util.Set<Path> HELD_HERE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Path root;
    private final FileChannel channel;
    private final FileLock lock;
    private final int swept;

    private ScratchSpace(Path root, FileChannel channel, FileLock lock, int swept) {
        this.root = root;
        this.channel = channel;
        this.lock = lock;
        this.swept = swept;
    }

    /** Sweeps the dead workers' spaces of {@code stage} under {@code tempDir} and opens one of this worker's own. */
    public static ScratchSpace open(Path tempDir, String stage) throws IOException {
        String prefix = "ltx-" + stage + "-";
        int swept = 0;
        Files.createDirectories(tempDir);
        try (var spaces = Files.list(tempDir)) {
            for (Path space : spaces.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && Files.isDirectory(p)).toList()) {
                if (orphaned(space)) {
                    WorkDirs.deleteQuietly(space);
                    swept++;
                }
            }
        }
        if (swept > 0) {
            LOG.info("deleted {} scratch space(s) of {} workers that died on this machine", swept, stage);
        }
        Path root = Files.createTempDirectory(tempDir, prefix);
        HELD_HERE.add(root.toAbsolutePath().normalize());
        FileChannel channel = FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        return new ScratchSpace(root, channel, channel.lock(), swept);
    }

    /**
     * {@link #open(Path, String)} under {@code java.io.tmpdir}, for a worker's start: a temp
     * directory it cannot write is a broken machine, an {@link java.io.UncheckedIOException}.
     */
    public static ScratchSpace open(String stage) {
        Path tempDir = Path.of(System.getProperty("java.io.tmpdir"));
        try {
            return open(tempDir, stage);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot make a scratch space in " + tempDir, e);
        }
    }

    /** Whether nobody holds the space's lock: its worker is gone (a space without a lock file is half made: gone too). */
    private static boolean orphaned(Path space) {
        if (HELD_HERE.contains(space.toAbsolutePath().normalize())) {
            return false;
        }
        Path lockFile = space.resolve(LOCK);
        if (!Files.exists(lockFile)) {
            return true;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock taken = channel.tryLock();
            if (taken == null) {
                return false;
            }
            taken.release();
            return true;
        } catch (IOException e) {
            LOG.debug("cannot tell whether {} is in use: {}", space, e.toString());
            return false;
        }
    }

    /** A new directory for one job's files; delete it with {@link WorkDirs#deleteQuietly} when the job is over. */
    public Path jobDirectory(String requestId) throws IOException {
        return Files.createTempDirectory(root, requestId + "-");
    }

    /** How many dead workers' spaces opening this one deleted. */
    public int swept() {
        return swept;
    }

    /** This worker's space. */
    public Path root() {
        return root;
    }

    /** Releases the lock and deletes the space. */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing the lock of {}: {}", root, e.toString());
        }
        WorkDirs.deleteQuietly(root);
        HELD_HERE.remove(root.toAbsolutePath().normalize());
    }
}
