package org.ltxfleet.infra.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.ltxfleet.infra.stack.FleetStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ./fleet up}: runs the stack and serves the API until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start Kafka, S3, the gateway and one worker per stage in this JVM, and serve the API; "
                + "with --no-workers, workers join from their own processes (./fleet worker).")
final class UpCommand implements Callable<Integer> {

    @Mixin
    StackArgs stack;

    @Override
    public Integer call() throws Exception {
        Console.step("starting the embedded stack in " + stack.dataDir.toAbsolutePath());
        // Wrong credentials or settings cannot heal: exit non-zero instead of serving half a fleet.
        org.ltxfleet.common.kafka.ConsumerLoop.exitOnFatal();
        FleetStack fleet = Console.startStack(stack.options());
        var stopped = Console.stopOnShutdown(List.of(fleet));
        fleet.describe().forEach((name, value) -> System.out.printf("  %-8s %s%n", name, value));
        System.out.printf("%nTry it:%n  curl -s -H 'Authorization: Key %s' %s/health/ready%n",
                fleet.apiKey(), fleet.gatewayUrl());
        System.out.println("\nReady. Ctrl-C stops the stack; jobs are kept in " + stack.dataDir);
        stopped.await();
        return 0;
    }
}
