package org.ltxfleet.infra.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.kafka.ConsumerLoop;
import org.ltxfleet.common.kafka.StageWorker;
import org.ltxfleet.infra.stack.StackLayout;
import org.ltxfleet.preprocess.PreprocessWorker;
import org.ltxfleet.train.TrainWorker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./fleet worker preprocess|train}: one worker joining the stack of a data directory, in a process of its own. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run one preprocess or train worker against the broker and store of the data directory; start "
                + "as many as you like, stop any with SIGTERM (its job goes to another worker).")
final class WorkerCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "stage: preprocess or train")
    String stage;

    @Mixin
    DataDirArg data;

    @Option(names = "--name", description = "the worker's name in events and logs (default: host name + pid)")
    String name;

    @Option(names = "--allow-private-urls",
            description = "let the worker fetch training data from loopback and private addresses (local use only)")
    boolean allowPrivateUrls;

    @Option(names = "--health-port", description = "serve /health/live and /health/ready on this port "
            + "(0: any free one; default: the data directory's worker.health.port, else none)")
    Integer healthPort;

    @Override
    public Integer call() throws Exception {
        ConsumerLoop.exitOnFatal();
        FleetConfig config = new StackLayout(data.dataDir).config(allowPrivateUrls)
                .with("worker.name", name != null ? name : StageWorker.defaultName());
        if (healthPort != null) {
            config = config.with(org.ltxfleet.common.config.Settings.WORKER_HEALTH_PORT.key(), healthPort.toString());
        }
        StageWorker worker = switch (stage) {
            case "preprocess" -> PreprocessWorker.start(config);
            case "train" -> TrainWorker.start(config);
            default -> throw new IllegalArgumentException("stage must be preprocess or train, not '" + stage + "'");
        };
        Console.step(stage + " worker " + org.ltxfleet.common.config.Settings.WORKER_NAME.read(config, "") + " joined the stack in "
                + data.dataDir.toAbsolutePath() + worker.healthPort().stream()
                .mapToObj(port -> "; health on http://localhost:" + port + "/health/ready").findFirst().orElse(""));
        Console.serveUntilStopped(List.of(worker));
        return 0;
    }
}
