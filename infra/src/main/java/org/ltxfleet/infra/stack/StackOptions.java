package org.ltxfleet.infra.stack;

import java.nio.file.Path;

/**
 * How to run the embedded stack.
 *
 * @param dataDir          where Kafka's log, the S3 store and the keys live; a restart on the same
 *                         directory keeps every job
 * @param gatewayPort      HTTP port of the API (0 picks a free one)
 * @param kafkaPort        broker port for users' own producers and consumers (0 picks a free one)
 * @param s3Port           S3 API port (0 picks a free one)
 * @param allowPrivateUrls let workers download from loopback and private addresses (local use only)
 * @param apiKey           the dev key {@code id:secret}; null reuses the stored one or makes one
 * @param workers          whether to run one preprocess and one train worker in the same JVM
 */
public record StackOptions(Path dataDir, int gatewayPort, int kafkaPort, int s3Port, boolean allowPrivateUrls,
                           String apiKey, boolean workers) {

    /** Defaults of {@code ./fleet up}. */
    public static StackOptions defaults() {
        return new StackOptions(Path.of(".fleet"), 8080, 19092, 19000, false, System.getenv("FLEET_API_KEY"), true);
    }

    /** Free ports everywhere, for tests. */
    public static StackOptions forTests(Path dataDir) {
        return new StackOptions(dataDir, 0, 0, 0, true, "test-key:test-secret", true);
    }

    /** A copy with another data directory. */
    public StackOptions withDataDir(Path dir) {
        return new StackOptions(dir, gatewayPort, kafkaPort, s3Port, allowPrivateUrls, apiKey, workers);
    }

    /** A copy with other ports. */
    public StackOptions withPorts(int gateway, int kafka, int s3) {
        return new StackOptions(dataDir, gateway, kafka, s3, allowPrivateUrls, apiKey, workers);
    }

    /** A copy with private URLs allowed or not. */
    public StackOptions withAllowPrivateUrls(boolean allow) {
        return new StackOptions(dataDir, gatewayPort, kafkaPort, s3Port, allow, apiKey, workers);
    }

    /** A copy with another dev key. */
    public StackOptions withApiKey(String key) {
        return new StackOptions(dataDir, gatewayPort, kafkaPort, s3Port, allowPrivateUrls, key, workers);
    }

    /** A copy with or without in-process workers. */
    public StackOptions withWorkers(boolean run) {
        return new StackOptions(dataDir, gatewayPort, kafkaPort, s3Port, allowPrivateUrls, apiKey, run);
    }
}
