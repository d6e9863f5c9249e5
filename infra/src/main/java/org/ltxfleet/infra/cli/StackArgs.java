package org.ltxfleet.infra.cli;

import java.nio.file.Path;
import org.ltxfleet.infra.stack.StackOptions;
import picocli.CommandLine.Option;

/** The options every command that starts the embedded stack shares. */
final class StackArgs {

    @Option(names = "--port", description = "HTTP port of the API (default: ${DEFAULT-VALUE}; 0 = any free port)")
    int port = 8080;

    @Option(names = "--data-dir", description = "where Kafka, the S3 store and the keys live (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of(".fleet");

    @Option(names = "--kafka-port", description = "Kafka broker port (default: ${DEFAULT-VALUE})")
    int kafkaPort = 19092;

    @Option(names = "--s3-port", description = "S3 API port (default: ${DEFAULT-VALUE})")
    int s3Port = 19000;

    @Option(names = "--allow-private-urls",
            description = "let workers fetch training data from loopback and private addresses (local use only)")
    boolean allowPrivateUrls;

    @Option(names = "--no-workers",
            description = "run Kafka, S3 and the gateway only; start workers with ./fleet worker")
    boolean noWorkers;

    StackOptions options() {
        return StackOptions.defaults().withDataDir(dataDir).withPorts(port, kafkaPort, s3Port)
                .withAllowPrivateUrls(allowPrivateUrls).withWorkers(!noWorkers);
    }
}
