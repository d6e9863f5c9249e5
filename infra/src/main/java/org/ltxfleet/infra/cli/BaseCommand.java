package org.ltxfleet.infra.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ltxfleet.model.preset.BaseWeights;
import org.ltxfleet.model.preset.Preset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./fleet base tiny}: makes the tiny preset's base weights by seeded pre-training. */
@Command(name = "base", mixinStandardHelpOptions = true,
        description = "Make a preset's base weights. Only 'tiny' is made here (seeded pre-training on generated "
                + "clips, the same bytes on every run on one machine); ltx-2.3 loads Lightricks' checkpoint.")
final class BaseCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "preset: tiny")
    String preset;

    @Option(names = "--data-dir", description = "stack data directory; weights go to <dir>/models (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of(".fleet");

    @Option(names = "--force", description = "pre-train again even when the file exists")
    boolean force;

    @Override
    public Integer call() throws Exception {
        Preset chosen = Preset.named(preset, Preset.Sources.of(dataDir.resolve("models")));
        if (!(chosen.baseWeights() instanceof BaseWeights.Pretrained pretrained)) {
            throw new IllegalArgumentException("the " + chosen.name() + " preset's base weights are a release to "
                    + "download, not made here");
        }
        Path file = pretrained.file();
        if (force) {
            Files.deleteIfExists(file);
        }
        long start = System.nanoTime();
        pretrained.local(Console::step);
        Console.step(String.format("%s base weights: %s (%d bytes, %.0f s)", chosen.name(), file, Files.size(file),
                (System.nanoTime() - start) / 1e9));
        return 0;
    }
}
