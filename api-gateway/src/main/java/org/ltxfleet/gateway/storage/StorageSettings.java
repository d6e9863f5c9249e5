package org.ltxfleet.gateway.storage;

import java.time.Duration;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Settings;

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
 * @param multipartLifetime how long a multipart upload's URL lives (until its {@code complete});
 *                          past it the upload is aborted
 * @param uploadIdle        how long an upload body may send nothing before it is answered 408
 * @param scratchPerKey     the most bytes one key's uploads in progress may declare in one process
 */
public record StorageSettings(Duration linkLifetime, Duration defaultRetention, Duration uploadUrlLifetime,
                              long maxUploadBytes, long maxPartBytes, Duration multipartLifetime,
                              Duration uploadIdle, long scratchPerKey) {

    /** Reads the {@code gateway.output.*} and {@code gateway.upload.*} settings. */
    public static StorageSettings from(FleetConfig config) {
        long retention = Settings.GATEWAY_OUTPUT_RETENTION_SECONDS.read(config);
        return new StorageSettings(Duration.ofSeconds(Settings.GATEWAY_OUTPUT_LINK_SECONDS.read(config)),
                retention == 0 ? null : Duration.ofSeconds(retention),
                Duration.ofSeconds(Settings.GATEWAY_UPLOAD_URL_SECONDS.read(config)),
                Settings.GATEWAY_UPLOAD_MAX_BYTES.read(config),
                Settings.GATEWAY_UPLOAD_PART_MAX_BYTES.read(config),
                Duration.ofSeconds(Settings.GATEWAY_UPLOAD_MULTIPART_MAX_SECONDS.read(config)),
                Duration.ofSeconds(Settings.GATEWAY_UPLOAD_IDLE_SECONDS.read(config)),
                Settings.GATEWAY_UPLOAD_SCRATCH_MAX_BYTES.read(config));
    }
}
