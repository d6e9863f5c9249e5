package org.ltxfleet.preprocess.archive;

import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Settings;

/**
 * What an archive may hold before it is refused as a zip bomb or abuse.
 *
 * @param maxEntries       entries in the central directory, ignored ones included
 * @param maxTotalBytes    uncompressed bytes of the files we extract, together
 * @param maxRatio         uncompressed/compressed size of any one extracted file
 */
public record ArchiveLimits(int maxEntries, long maxTotalBytes, long maxRatio) {

    /** Reads the {@code archive.*} settings. */
    public static ArchiveLimits from(FleetConfig config) {
        return new ArchiveLimits(
                Settings.ARCHIVE_MAX_ENTRIES.read(config),
                Settings.ARCHIVE_MAX_TOTAL_BYTES.read(config),
                Settings.ARCHIVE_MAX_RATIO.read(config));
    }
}
