package org.ltxfleet.infra.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Settings;

/**
 * One data directory, shared by the parts of an embedded stack: where the broker and the store
 * keep their data, and where each publishes its address ({@code kafka.address},
 * {@code s3.address}), so a gateway or a worker started later in a process of its own finds them.
 * The settings file {@code fleet.properties} and the keys live here too.
 */
public final class StackLayout {

    private static final String KAFKA_ADDRESS = "kafka.address";
    private static final String S3_ADDRESS = "s3.address";

    private final Path root;

    /** The layout of {@code dataDir}. */
    public StackLayout(Path dataDir) {
        this.root = dataDir.toAbsolutePath().normalize();
    }

    /** The data directory. */
    public Path root() {
        return root;
    }

    Path kafkaDir() {
        return root.resolve("kafka");
    }

    Path s3Dir() {
        return root.resolve("s3");
    }

    /** The hashed API keys the gateway accepts. */
    public Path apiKeysFile() {
        return root.resolve("api-keys.json");
    }

    /** Records the broker's address for the parts that join later. */
    void publishKafka(String bootstrapServers) {
        write(KAFKA_ADDRESS, Map.of(Settings.KAFKA_BOOTSTRAP.key(), bootstrapServers));
    }

    /** Records the store's address and credentials (loopback only) for the parts that join later. */
    void publishS3(String endpoint, String accessKey, String secretKey) {
        write(S3_ADDRESS, Map.of(Settings.S3_ENDPOINT.key(), endpoint, Settings.S3_ACCESS_KEY.key(), accessKey,
                Settings.S3_SECRET_KEY.key(), secretKey, Settings.S3_PATH_STYLE.key(), "true"));
    }

    /**
     * The configuration of a gateway or worker joining this stack: {@code fleet.properties}, the
     * published addresses of the broker and the store, and the stack's files.
     */
    public FleetConfig config(boolean allowPrivateUrls) {
        FleetConfig config = withS3(settings());
        for (var entry : read(KAFKA_ADDRESS, "./fleet kafka").entrySet()) {
            config = config.with(entry.getKey(), entry.getValue());
        }
        return config
                .with(Settings.MODEL_DIR.key(), Settings.MODEL_DIR.read(config, root.resolve("models").toString()))
                .with(Settings.ALLOW_PRIVATE_URLS.key(), Boolean.toString(allowPrivateUrls))
                .with("gateway.keys.file", apiKeysFile().toString())
                .with("webhook.keys.file", root.resolve("webhook-keys.json").toString());
    }

    /** The stack's settings file, {@code fleet.properties} (absent: defaults). */
    public FleetConfig settings() {
        return FleetConfig.load(root.resolve("fleet.properties"));
    }

    /** {@code config} with the published store address and credentials. */
    FleetConfig withS3(FleetConfig config) {
        for (var entry : read(S3_ADDRESS, "./fleet s3").entrySet()) {
            config = config.with(entry.getKey(), entry.getValue());
        }
        return config;
    }

    private Map<String, String> read(String name, String startedBy) {
        Path file = root.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no " + name.substring(0, name.indexOf('.')) + " address in " + root
                    + ": start " + startedBy + " --data-dir " + root + " (or ./fleet up --no-workers) first");
        }
        var props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        var values = new java.util.TreeMap<String, String>();
        props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k)));
        return values;
    }

    private void write(String name, Map<String, String> values) {
        var props = new Properties();
        props.putAll(values);
        try {
            Files.createDirectories(root);
            Path temp = Files.createTempFile(root, name, ".tmp");
            try (var out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                props.store(out, "written by the running stack part; read by parts that join it");
            }
            // Atomic: a part starting at the same moment never reads half a file.
            Files.move(temp, root.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + root.resolve(name), e);
        }
    }
}
