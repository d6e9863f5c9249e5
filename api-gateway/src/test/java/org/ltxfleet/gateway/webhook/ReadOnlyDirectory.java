package org.ltxfleet.gateway.webhook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A directory this JVM cannot write to while it is open, as a Kubernetes Secret mount is. Its
 * permission bits are cleared; where they do not bind (root ignores them) it is also made
 * immutable ({@code chattr +i}), which binds root as a read-only mount does. Fails, rather than
 * letting a test pass vacuously, when neither works here.
 */
final class ReadOnlyDirectory implements AutoCloseable {

    private final Path dir;
    private final boolean immutable;

    private ReadOnlyDirectory(Path dir, boolean immutable) {
        this.dir = dir;
        this.immutable = immutable;
    }

    /** Makes {@code dir} (created if missing) read-only until {@link #close}. */
    static ReadOnlyDirectory of(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        boolean immutable = false;
        if (Files.isWritable(dir)) {
            chattr("+i", dir);
            immutable = true;
        }
        if (Files.isWritable(dir)) {
            throw new IllegalStateException("cannot make " + dir + " read-only for this user (neither permission "
                    + "bits nor chattr +i bind it)");
        }
        return new ReadOnlyDirectory(dir, immutable);
    }

    private static void chattr(String flag, Path dir) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("chattr", flag, dir.toString()).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IOException("chattr " + flag + " " + dir + " exited with " + process.exitValue());
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (immutable) {
            chattr("-i", dir);
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
}
