package org.ltxfleet.preprocess.archive;

import org.ltxfleet.common.config.FleetConfig;

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
                config.integer("archive.max.entries", 10_000),
                config.longValue("archive.max.total.bytes", 50L * 1024 * 1024 * 1024),
                config.longValue("archive.max.ratio", 200));
    }
}
