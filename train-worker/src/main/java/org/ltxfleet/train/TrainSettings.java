package org.ltxfleet.train;

import java.nio.file.Path;
import java.util.List;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Settings;

/**
 * How the train worker trains (README "Configuration").
 *
 * @param preset          model preset: {@code tiny} (CPU, embedded stack) or {@code ltx-2.3}
 * @param modelDir        where base weights live; the tiny preset's are made there on first use
 * @param baseWeights     checkpoint shards of a real preset (ignored by tiny)
 * @param checkpointEvery steps between checkpoints (also taken on shutdown)
 * @param previewEvery    steps between intermediate validation previews (0: only the final reel)
 * @param progressEvery   steps between progress events
 * @param feedForwardLora adapters on the feed-forward too ({@code ff.net.0.proj}, {@code ff.net.2}), besides
 *                        attention; default on for tiny, whose two narrow blocks adapt too little through
 *                        attention alone, off for ltx-2.3 (LTX trainer's own default)
 * @param firstInPlaceShare share of steps trained with the first keyframe in place, the rest appended
 * @param lease           heartbeat and stale time of the job lease (the same on every train worker)
 */
public record TrainSettings(String preset, Path modelDir, List<Path> baseWeights, int checkpointEvery, int previewEvery,
                            int progressEvery, boolean feedForwardLora, double firstInPlaceShare,
                            JobLease.Timing lease) {

    public static TrainSettings from(FleetConfig config) {
        String weights = Settings.MODEL_WEIGHTS.read(config, "");
        String preset = Settings.MODEL_PRESET.read(config);
        return new TrainSettings(preset,
                Path.of(Settings.MODEL_DIR.read(config)),
                weights.isBlank() ? List.of() : java.util.Arrays.stream(weights.split(",")).map(String::trim).map(Path::of).toList(),
                Settings.TRAIN_CHECKPOINT_EVERY.read(config),
                Settings.TRAIN_PREVIEW_EVERY.read(config),
                Settings.TRAIN_PROGRESS_EVERY.read(config),
                Settings.TRAIN_LORA_FEED_FORWARD.read(config, "tiny".equals(preset)),
                Settings.TRAIN_FIRST_IN_PLACE_SHARE.read(config),
                JobLease.Timing.ofSeconds(Settings.TRAIN_LEASE_HEARTBEAT.read(config),
                        Settings.TRAIN_LEASE_STALE.read(config)));
    }
}
