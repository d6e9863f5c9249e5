package org.ltxfleet.gateway.storage;

import java.time.Duration;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.s3.ObjectStore;

/**
 * How the gateway hands out outputs and takes uploads (README "Configuration").
 *
 * @param linkLifetime      how long a presigned output link stays valid from the moment it is
 *                          rendered (at most 7 days, S3's limit)
 * @param defaultRetention  how long outputs are kept when a job does not say
 *                          ({@code X-Fal-Object-Lifecycle-Preference}); null keeps them until the
 *                          bucket's own rules remove them
 * @param uploadUrlLifetime how long an upload URL from {@code /storage/upload/initiate} accepts data
 * @param maxUploadBytes    the largest file one upload may store
 * @param maxPartBytes      the largest part of a multipart upload (fal's clients send 10 MB parts)
 */
public record StorageSettings(Duration linkLifetime, Duration defaultRetention, Duration uploadUrlLifetime,
                              long maxUploadBytes, long maxPartBytes) {

    /** Reads the {@code gateway.output.*} and {@code gateway.upload.*} settings. */
    public static StorageSettings from(FleetConfig config) {
        long link = config.longValue("gateway.output.link.seconds", ObjectStore.URL_LIFETIME.toSeconds());
        if (link < 1 || link > ObjectStore.URL_LIFETIME.toSeconds()) {
            throw new IllegalArgumentException("gateway.output.link.seconds must be between 1 and "
                    + ObjectStore.URL_LIFETIME.toSeconds() + " (S3's limit for presigned URLs), not " + link);
        }
        long retention = config.longValue("gateway.output.retention.seconds", 0);
        if (retention < 0) {
            throw new IllegalArgumentException("gateway.output.retention.seconds must be 0 (keep) or more, not "
                    + retention);
        }
        return new StorageSettings(Duration.ofSeconds(link), retention == 0 ? null : Duration.ofSeconds(retention),
                Duration.ofSeconds(config.longValue("gateway.upload.url.seconds", 3600)),
                config.longValue("gateway.upload.max.bytes", 20L << 30),
                config.longValue("gateway.upload.part.max.bytes", 100L << 20));
    }
}
