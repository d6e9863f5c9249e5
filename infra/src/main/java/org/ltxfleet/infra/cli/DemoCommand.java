package org.ltxfleet.infra.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./fleet demo}: one training job end to end on the embedded stack. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the stack, generate sample clips, train on them and save the outputs.")
final class DemoCommand implements Callable<Integer> {

    @Mixin
    StackArgs stack;

    @Option(names = "--output", description = "where the outputs are saved (default: ${DEFAULT-VALUE})")
    Path output = Path.of("demo-output");

    @Option(names = "--steps", description = "training steps (default: ${DEFAULT-VALUE})")
    int steps = org.ltxfleet.infra.demo.DemoTraining.STEPS;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(output);
        Console.step("starting the embedded stack in " + stack.dataDir.toAbsolutePath());
        // The demo serves its own dataset from the embedded S3 store on loopback.
        stack.allowPrivateUrls = true;
        try (var fleet = Console.startStack(stack.options())) {
            return new DemoRun(fleet, output, steps).run() ? 0 : 1;
        }
    }
}
