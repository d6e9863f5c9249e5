package org.ltxfleet.train;

import java.nio.file.Path;
import java.util.List;
import org.ltxfleet.common.config.FleetConfig;

/**
 * How the train worker trains (README "Configuration").
 *
 * @param preset          model preset: {@code tiny} (CPU, embedded stack) or {@code ltx-2.3}
 * @param modelDir        where base weights live; the tiny preset's are made there on first use
 * @param baseWeights     checkpoint shards of a real preset (ignored by tiny)
 * @param checkpointEvery steps between checkpoints (also taken on shutdown)
 * @param previewEvery    steps between intermediate validation previews (0: only the final reel)
 * @param progressEvery   steps between progress events
 */
public record TrainSettings(String preset, Path modelDir, List<Path> baseWeights, int checkpointEvery, int previewEvery,
                            int progressEvery) {

    public static TrainSettings from(FleetConfig config) {
        String weights = config.string("model.weights", "");
        return new TrainSettings(config.string("model.preset", "tiny"),
                Path.of(config.string("model.dir", ".fleet/models")),
                weights.isBlank() ? List.of() : java.util.Arrays.stream(weights.split(",")).map(String::trim).map(Path::of).toList(),
                config.integer("train.checkpoint.every", 50),
                config.integer("train.preview.every", 0),
                config.integer("train.progress.every", 5));
    }
}
