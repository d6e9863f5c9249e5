package org.ltxfleet.gateway;

import java.nio.file.Path;
import java.time.Duration;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Settings;

/**
 * The gateway's settings (README "Configuration").
 *
 * @param publicUrl     base URL clients reach the gateway at, for response/status/cancel URLs;
 *                      null derives it from each request's Host header
 * @param bodyLimit     largest request body accepted, in bytes (413 past it)
 * @param submitTimeout how long a submit waits for Kafka's acknowledgement before answering 503
 * @param keysFile      the hashed API keys file
 * @param rateLimitPerSecond submits, cancels and other calls a second each API key may make (429 past
 *                           it); 0 for no limit
 * @param readLimitPerSecond status, stream, result and webhook-attempt reads a second each API key may
 *                           make, a budget of its own (429 past it); 0 for no limit
 * @param maxStreamsPerKey status streams one API key may hold open at once (429 past it)
 * @param maxQueuedPerKey jobs one API key may have waiting for a worker (429 past it); 0 for no cap
 */
public record GatewaySettings(String host, int port, String publicUrl, long bodyLimit, Duration submitTimeout,
                              String bootstrapServers, Path keysFile, int instances, int rateLimitPerSecond,
                              int readLimitPerSecond, int maxStreamsPerKey, int maxQueuedPerKey) {

    /** The endpoint this gateway serves. */
    public static final String ENDPOINT_ID = "fal-ai/ltx23-trainer-v2/interpolate";
    /** The app path that status, result and cancel URLs live under (fal's client drops the endpoint's last part). */
    public static final String APP_PATH = "/fal-ai/ltx23-trainer-v2";

    /** Reads the {@code gateway.*} settings. */
    public static GatewaySettings from(FleetConfig config) {
        return new GatewaySettings(
                config.string("gateway.host", "0.0.0.0"),
                config.integer("gateway.port", 8080),
                config.string("gateway.public.url", null),
                config.longValue("gateway.body.limit.bytes", 1024 * 1024),
                Duration.ofMillis(config.longValue("gateway.submit.timeout.ms", 10_000)),
                config.string(Settings.KAFKA_BOOTSTRAP, "localhost:9092"),
                Path.of(config.string("gateway.keys.file", "api-keys.json")),
                config.integer("gateway.instances", Math.max(1, Runtime.getRuntime().availableProcessors())),
                config.integer("gateway.rate.limit.per.second", 100),
                config.integer("gateway.read.limit.per.second", 1000),
                config.integer("gateway.max.streams.per.key", 100),
                config.integer("gateway.max.queued.per.key", 1000));
    }
}
