package org.ltxfleet.infra.stack;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Settings;
import org.ltxfleet.common.s3.S3Clients;
import org.ltxfleet.common.s3.S3Settings;
import org.ltxfleet.gateway.Gateway;
import org.ltxfleet.gateway.auth.ApiKeys;
import org.ltxfleet.preprocess.PreprocessWorker;
import org.ltxfleet.train.TrainWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole fleet in one JVM: a real Kafka KRaft broker, a real S3-compatible store (S3Proxy on
 * the filesystem), the gateway and one worker of each stage. Everything lives under the data
 * directory ({@link StackLayout}), so a restart keeps every job; the broker and the store lock
 * their directories ({@link DataDirLock}), so one stack at a time runs there, while more
 * gateways and workers may join it from processes of their own. Close it to stop, in reverse
 * order of start.
 */
public final class FleetStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetStack.class);

    private final List<AutoCloseable> started = new ArrayList<>();
    private final FleetConfig config;
    private final String apiKey;
    private final KafkaPart kafka;
    private final S3Part s3;
    private final Gateway gateway;

    private FleetStack(StackOptions options) throws Exception {
        try {
            var layout = new StackLayout(options.dataDir());
            // Each part locks its own directory before touching it: one stack per data directory.
            this.kafka = track(KafkaPart.start(layout, options.kafkaPort()));
            this.s3 = track(S3Part.start(layout, options.s3Port()));
            this.apiKey = devKey(layout, options.apiKey());
            this.config = withFreeMetricsPort(layout.config(options.allowPrivateUrls())
                    .with("gateway.port", Integer.toString(options.gatewayPort())));
            this.gateway = track(Gateway.start(config));
            if (options.workers()) {
                track(PreprocessWorker.start(config.with("worker.name", "embedded")));
                track(TrainWorker.start(config.with("worker.name", "embedded")));
            }
        } catch (Exception | Error e) {
            // A half-started stack must not leave a broker or store holding the data directory.
            close();
            throw e;
        }
    }

    /** Starts the stack and returns once the API answers. */
    public static FleetStack start(StackOptions options) throws Exception {
        return new FleetStack(options);
    }

    private <T extends AutoCloseable> T track(T component) {
        started.add(component);
        return component;
    }

    /** The base URL of the API. */
    public URI gatewayUrl() {
        return URI.create("http://127.0.0.1:" + gateway.port());
    }

    /** The web console's address, unless {@code gateway.console.enabled} is false. */
    public java.util.Optional<URI> consoleUrl() {
        return gateway.services().settings().console()
                ? java.util.Optional.of(URI.create(gatewayUrl() + org.ltxfleet.gateway.console.ConsoleRoutes.PATH))
                : java.util.Optional.empty();
    }

    /** The gateway's Prometheus page, served apart from the API ({@code gateway.metrics.port}). */
    public URI gatewayMetricsUrl() {
        return metricsUrl(gateway);
    }

    /** The Prometheus page of {@code gateway}, running in this JVM. */
    public static URI metricsUrl(Gateway gateway) {
        int port = gateway.metricsPort().orElseThrow(() -> new IllegalStateException(
                Settings.GATEWAY_METRICS_PORT.key() + " is -1: this gateway serves no /metrics"));
        return URI.create("http://127.0.0.1:" + port + "/metrics");
    }

    /**
     * {@code config} with {@code gateway.metrics.port} 0 (any free port) unless it names one: one JVM
     * may run several gateways (the stack's, one restarted beside it in a test), which must not
     * all bind the fixed default; each reports the port it got.
     */
    public static FleetConfig withFreeMetricsPort(FleetConfig config) {
        var setting = Settings.GATEWAY_METRICS_PORT;
        return config.with(setting.key(), Integer.toString(setting.read(config, 0)));
    }

    /** The dev API key, {@code id:secret}. */
    public String apiKey() {
        return apiKey;
    }

    /** The broker's bootstrap servers, for users' own producers. */
    public String kafkaBootstrap() {
        return kafka.kafka().bootstrapServers();
    }

    /** The S3 API endpoint. */
    public URI s3Endpoint() {
        return s3.s3().endpoint();
    }

    /** The configuration the services run with. */
    public FleetConfig config() {
        return config;
    }

    /**
     * Stores a file in the embedded S3 store and returns a presigned download URL valid for a day:
     * how the demo and the tests hand the workers a dataset or an image.
     */
    public String publish(String key, Path file) {
        return publish(config, key, file);
    }

    /** {@link #publish(String, Path)} into the store that {@code config} names. */
    public static String publish(FleetConfig config, String key, Path file) {
        S3Settings settings = S3Settings.from(config);
        try (var s3 = S3Clients.client(settings); var presigner = S3Clients.presigner(settings)) {
            s3.putObject(b -> b.bucket(settings.bucket()).key(key),
                    software.amazon.awssdk.core.sync.RequestBody.fromFile(file));
            return presigner.presignGetObject(p -> p.signatureDuration(java.time.Duration.ofDays(1))
                    .getObjectRequest(g -> g.bucket(settings.bucket()).key(key))).url().toString();
        }
    }

    /** The running gateway. */
    public Gateway gateway() {
        return gateway;
    }

    /** The running broker, for tests that stop it. */
    public EmbeddedKafka kafka() {
        return kafka.kafka();
    }

    /**
     * The dev key, added to the stack's key file: the one given (e.g. {@code FLEET_API_KEY}), else
     * the one stored in the data directory by an earlier run, else a new one stored there
     * (owner-readable only).
     */
    public static String devKey(StackLayout layout, String given) throws IOException {
        String key;
        Path stored = layout.root().resolve("dev-api-key");
        if (given != null && !given.isBlank()) {
            key = given.trim();
        } else if (Files.exists(stored)) {
            key = Files.readString(stored).trim();
        } else {
            key = ApiKeys.generate();
            org.ltxfleet.common.io.SecretFiles.write(stored, (key + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        ApiKeys.load(layout.apiKeysFile()).add(key).save(layout.apiKeysFile());
        return key;
    }

    @Override
    public void close() {
        var reversed = new ArrayList<>(started);
        java.util.Collections.reverse(reversed);
        for (AutoCloseable component : reversed) {
            try {
                component.close();
            } catch (Exception e) {
                LOG.warn("{} did not stop cleanly: {}", component.getClass().getSimpleName(), e.toString());
            }
        }
    }

    /** A one-line summary per service, for the console. */
    public Map<String, String> describe() {
        var lines = new LinkedHashMap<String, String>();
        lines.put("API", gatewayUrl().toString());
        consoleUrl().ifPresent(url -> lines.put("Console", url + " (sign in with the API key)"));
        if (gateway.metricsPort().isPresent()) {
            lines.put("Metrics", gatewayMetricsUrl().toString());
        }
        lines.put("API key", apiKey);
        lines.put("Kafka", kafkaBootstrap());
        lines.put("S3", s3Endpoint() + " (bucket " + S3Settings.from(config).bucket() + ", access key "
                + S3Part.ACCESS_KEY + ")");
        return lines;
    }

}
