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
                Duration.ofMillis(Settings.DOWNLOAD_CONNECT_TIMEOUT_MS.read(config)),
                Duration.ofMillis(Settings.DOWNLOAD_STALL_TIMEOUT_MS.read(config)),
                Settings.DOWNLOAD_MAX_BYTES.read(config),
                Settings.DOWNLOAD_ATTEMPTS.read(config),
                5,
                Duration.ofMillis(Settings.DOWNLOAD_BACKOFF_MS.read(config)),
                Settings.ALLOW_PRIVATE_URLS.read(config));
    }
}
