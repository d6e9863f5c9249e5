package org.ltxfleet.gateway;

import org.ltxfleet.common.kafka.KafkaConnection;
import java.nio.file.Path;
import java.time.Duration;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Settings;
import org.ltxfleet.gateway.http.PublicBase;
import org.ltxfleet.gateway.http.TrustedProxies;

/**
 * The gateway's settings (README "Configuration").
 *
 * @param metricsPort   port of {@code GET /metrics}, apart from the API (0: any free port; -1: not served)
 * @param publicUrl     base URL clients reach the gateway at, for response/status/cancel URLs;
 *                      null derives it from each request's Host header
 * @param trustedProxies peers whose {@code X-Forwarded-*} headers set that base when {@code publicUrl} is null
 * @param bodyLimit     largest request body accepted, in bytes (413 past it)
 * @param submitTimeout how long a submit waits for Kafka's acknowledgement before answering 503
 * @param keysFile      the hashed API keys file
 * @param rateLimitPerSecond submits, cancels and other calls a second each API key may make (429 past
 *                           it); 0 for no limit
 * @param readLimitPerSecond status, stream, result and webhook-attempt reads a second each API key may
 *                           make, a budget of its own (429 past it); 0 for no limit
 * @param maxStreamsPerKey status streams one API key may hold open at once (429 past it)
 * @param maxQueuedPerKey jobs one API key may have waiting for a worker (429 past it); 0 for no cap
 * @param logRetention  how long a finished job keeps its log lines in the gateway (its outcome stays)
 * @param fairSharePerKey jobs one API key may have waiting in the normal lane; later ones wait in the
 *                        overflow lane, behind every other key's (0: no overflow lane)
 * @param snapshotInterval how often the gateway writes snapshots of its replayed state to the store,
 *                         so a start replays only what came after; zero turns them off
 * @param console       whether the web console is served at {@code /console/}
 */
public record GatewaySettings(String host, int port, int metricsPort, String publicUrl, TrustedProxies trustedProxies,
                              long bodyLimit, Duration submitTimeout,
                              KafkaConnection kafka, Path keysFile, int instances, int rateLimitPerSecond,
                              int readLimitPerSecond, int maxStreamsPerKey, int maxQueuedPerKey,
                              Duration logRetention, int fairSharePerKey, Duration snapshotInterval,
                              boolean console) {

    /** The endpoint this gateway serves. */
    public static final String ENDPOINT_ID = "fal-ai/ltx23-trainer-v2/interpolate";
    /** The app path that status, result and cancel URLs live under (fal's client drops the endpoint's last part). */
    public static final String APP_PATH = "/fal-ai/ltx23-trainer-v2";

    /** Where clients reach this gateway, the base of the URLs it hands out. */
    public PublicBase publicBase() {
        return new PublicBase(publicUrl, trustedProxies);
    }

    /** Reads the {@code gateway.*} settings. */
    public static GatewaySettings from(FleetConfig config) {
        return new GatewaySettings(
                Settings.GATEWAY_HOST.read(config),
                Settings.GATEWAY_PORT.read(config),
                Settings.GATEWAY_METRICS_PORT.read(config),
                Settings.GATEWAY_PUBLIC_URL.read(config),
                TrustedProxies.parse(Settings.GATEWAY_TRUSTED_PROXIES.read(config)),
                Settings.GATEWAY_BODY_LIMIT.read(config),
                Duration.ofMillis(Settings.GATEWAY_SUBMIT_TIMEOUT_MS.read(config)),
                KafkaConnection.from(config),
                Path.of(Settings.GATEWAY_KEYS_FILE.read(config)),
                Settings.GATEWAY_INSTANCES.read(config, Math.max(1, Runtime.getRuntime().availableProcessors())),
                Settings.GATEWAY_RATE_LIMIT.read(config),
                Settings.GATEWAY_READ_LIMIT.read(config),
                Settings.GATEWAY_MAX_STREAMS.read(config),
                Settings.GATEWAY_MAX_QUEUED.read(config),
                Duration.ofHours(Settings.GATEWAY_LOG_RETENTION_HOURS.read(config)),
                Settings.GATEWAY_FAIR_SHARE.read(config),
                Duration.ofSeconds(Settings.GATEWAY_SNAPSHOT_SECONDS.read(config)),
                Settings.GATEWAY_CONSOLE_ENABLED.read(config));
    }
}
