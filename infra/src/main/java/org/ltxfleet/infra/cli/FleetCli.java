package org.ltxfleet.infra.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./fleet}: runs the embedded stack, the demo job, benchmarks and key management. */
@Command(name = "fleet", mixinStandardHelpOptions = true, version = "ltx-fleet 0.1.0",
        description = "Self-hostable LTX-2.3 keyframe-interpolation LoRA trainer on Kafka and S3.",
        subcommands = {UpCommand.class, DemoCommand.class, KafkaCommand.class, S3Command.class, GatewayCommand.class,
            WorkerCommand.class, BenchCommand.class, KeysCommand.class,
            WebhooksCommand.class, TopicsCommand.class, BaseCommand.class, EvalCommand.class, VaeCommand.class,
            ParityCommand.class, WeightsCommand.class})
public final class FleetCli {

    /** Entry point of {@code ./fleet}. */
    public static void main(String[] args) {
        int code = new CommandLine(new FleetCli())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("fleet: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                    if (System.getenv("FLEET_DEBUG") != null) {
                        e.printStackTrace(cmd.getErr());
                    } else {
                        cmd.getErr().println("(set FLEET_DEBUG=1 for the stack trace)");
                    }
                    return 1;
                })
                .execute(args);
        System.exit(code);
    }
}
