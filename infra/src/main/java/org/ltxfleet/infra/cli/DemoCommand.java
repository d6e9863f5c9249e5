package org.ltxfleet.infra.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ltxfleet.model.preset.SyntheticLtx23;
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

    @Option(names = "--synthetic-ltx23", description = "train with the ltx-2.3 preset on a reduced synthetic release "
            + "(the real file layout and names at 2 blocks of 2 × 32; random weights, so the reel shows nothing): "
            + "checks the ltx-2.3 path, on a GPU too, without the real weights. Needs a fresh --data-dir.")
    boolean syntheticLtx23;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(output);
        if (syntheticLtx23) {
            writeSyntheticRelease();
        }
        Console.step("starting the embedded stack in " + stack.dataDir.toAbsolutePath());
        // The demo serves its own dataset from the embedded S3 store on loopback.
        stack.allowPrivateUrls = true;
        try (var fleet = Console.startStack(stack.options())) {
            // The synthetic release's random weights would give meaningless figures.
            return new DemoRun(fleet, output, steps, !syntheticLtx23).run() ? 0 : 1;
        }
    }

    /** The release in the data dir and a {@code fleet.properties} that names it. */
    private void writeSyntheticRelease() throws IOException {
        Files.createDirectories(stack.dataDir);
        Path settings = stack.dataDir.resolve("fleet.properties");
        if (Files.exists(settings)) {
            throw new IllegalArgumentException("--synthetic-ltx23 writes its own " + settings + ", which exists: "
                    + "give a fresh --data-dir");
        }
        Console.step("writing a reduced synthetic ltx-2.3 release into " + stack.dataDir.resolve("synthetic-ltx-2.3"));
        var release = SyntheticLtx23.write(stack.dataDir.resolve("synthetic-ltx-2.3"), DemoRun.SEED);
        Files.writeString(settings, "model.preset=ltx-2.3\nmodel.weights=" + release.checkpoint().toAbsolutePath()
                + "\nmodel.text.encoder=" + release.gemma().toAbsolutePath() + "\n");
    }
}
