package org.ltxfleet.preprocess.download;

import java.time.Duration;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Settings;

/**
 * Limits of a training-data download.
 *
 * @param connectTimeout  to open a connection (and to get the answer's headers)
 * @param stallTimeout    the longest pause between bytes before the download is abandoned
 * @param maxBytes        larger archives are refused (by Content-Length, and while streaming)
 * @param attempts        tries for transient failures (connection errors, 5xx, 429); 4xx is final
 * @param maxRedirects    redirects followed, each checked by the SSRF guard
 */
public record DownloadSettings(Duration connectTimeout, Duration stallTimeout, long maxBytes, int attempts,
                               int maxRedirects, Duration firstBackoff, boolean allowPrivateUrls) {

    /** Reads the {@code download.*} settings. */
    public static DownloadSettings from(FleetConfig config) {
        return new DownloadSettings(
                Duration.ofMillis(config.longValue("download.connect.timeout.ms", 10_000)),
                Duration.ofMillis(config.longValue("download.stall.timeout.ms", 30_000)),
                config.longValue("download.max.bytes", 20L * 1024 * 1024 * 1024),
                config.integer("download.attempts", 4),
                5,
                Duration.ofMillis(config.longValue("download.backoff.ms", 1000)),
                config.bool(Settings.ALLOW_PRIVATE_URLS, false));
    }
}
