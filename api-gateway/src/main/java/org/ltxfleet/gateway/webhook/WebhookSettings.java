package org.ltxfleet.gateway.webhook;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Settings;
import org.ltxfleet.common.kafka.Topics;

/**
 * How webhooks are delivered (README "Configuration").
 *
 * @param timeout      one attempt's limit, connect and answer together
 * @param window       how long after the first attempt retries go on; then the dead-letter topic
 * @param retryDelays  the delay of each retry tier, shortest first; attempts past the last tier
 *                     keep using the last delay. Each delay gets ±20 % jitter.
 * @param redeliveriesPerMinute redeliveries one API key may queue a minute in this process; 0: no limit
 */
public record WebhookSettings(Duration timeout, Duration window, List<Duration> retryDelays, Path keysFile,
                              boolean allowPrivateUrls, int redeliveriesPerMinute) {

    /** Settings without a redelivery limit. */
    public WebhookSettings(Duration timeout, Duration window, List<Duration> retryDelays, Path keysFile,
                           boolean allowPrivateUrls) {
        this(timeout, window, retryDelays, keysFile, allowPrivateUrls, 0);
    }

    public WebhookSettings {
        if (retryDelays.size() != Topics.WEBHOOK_RETRY_TIERS) {
            throw new IllegalArgumentException("webhook.retry.delays.ms needs " + Topics.WEBHOOK_RETRY_TIERS
                    + " comma-separated delays, got " + retryDelays.size());
        }
        retryDelays = List.copyOf(retryDelays);
    }

    /** Reads the {@code webhook.*} settings. */
    public static WebhookSettings from(FleetConfig config) {
        List<Duration> delays = Arrays.stream(Settings.WEBHOOK_RETRY_DELAYS_MS.read(config).split(","))
                .map(String::trim).map(Long::parseLong).map(Duration::ofMillis).toList();
        return new WebhookSettings(
                Duration.ofMillis(Settings.WEBHOOK_TIMEOUT_MS.read(config)),
                Duration.ofMillis(Settings.WEBHOOK_WINDOW_MS.read(config)),
                delays,
                Path.of(Settings.WEBHOOK_KEYS_FILE.read(config)),
                Settings.ALLOW_PRIVATE_URLS.read(config),
                Settings.WEBHOOK_REDELIVER_LIMIT.read(config));
    }
}
