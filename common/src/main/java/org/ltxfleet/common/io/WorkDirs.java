package org.ltxfleet.common.io;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A job's scratch directory, removed when the job is over; a failed clean-up is logged, never fatal. */
public final class WorkDirs {

    private static final Logger LOG = LoggerFactory.getLogger(WorkDirs.class);

    private WorkDirs() {
    }

    /** Deletes {@code dir} and everything in it, logging (not throwing) when that fails. */
    public static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            LOG.warn("could not clean up {}: {}", dir, e.toString());
        }
    }
}
