package org.ltxfleet.infra.stack;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive OS file lock on a stack's data directory: two stacks on one directory would both
 * write the broker's log and corrupt it. The OS releases the lock when the process dies, so a
 * killed stack never leaves a stale lock behind. The file holds the owner's pid, for the message.
 */
public final class DataDirLock implements AutoCloseable {

    static final String FILE = "fleet.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or throws naming the directory and the process that holds it. */
    public static DataDirLock acquire(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        }
        if (lock == null) {
            String owner = owner(channel);
            channel.close();
            throw new IllegalStateException("the data directory " + dataDir.toAbsolutePath() + " is in use by another "
                    + "fleet" + (owner.isEmpty() ? "" : " (pid " + owner + ")")
                    + "; stop it first or choose another --data-dir");
        }
        channel.truncate(0);
        channel.write(StandardCharsets.US_ASCII.encode(ProcessHandle.current().pid() + "\n"), 0);
        return new DataDirLock(channel, lock);
    }

    private static String owner(FileChannel channel) throws IOException {
        var buffer = java.nio.ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
