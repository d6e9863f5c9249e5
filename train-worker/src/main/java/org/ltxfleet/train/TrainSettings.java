package org.ltxfleet.train;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Settings;
import org.ltxfleet.common.job.JobLease;
import org.ltxfleet.model.preset.Preset;
import org.ltxfleet.model.training.TrainingMemory;

/**
 * How the train worker trains (README "Configuration").
 *
 * @param preset          model preset ({@code model.*} settings): widths, base weights, VAE
 * @param checkpointEvery steps between checkpoints (also taken on shutdown)
 * @param previewEvery    steps between intermediate validation previews (0: only the final reel)
 * @param progressEvery   steps between progress events
 * @param feedForwardLora adapters on the feed-forward too ({@code ff.net.0.proj}, {@code ff.net.2}), besides
 *                        attention; the preset's default unless set
 * @param firstInPlaceShare share of steps trained with the first keyframe in place, the rest appended
 * @param lease           heartbeat and stale time of the job lease (the same on every train worker)
 * @param trainingMemory  block checkpointing and recomputed attention ({@code train.*}; the preset's default unless set)
 */
public record TrainSettings(Preset preset, int checkpointEvery, int previewEvery,
                            int progressEvery, boolean feedForwardLora, double firstInPlaceShare,
                            JobLease.Timing lease, TrainingMemory trainingMemory) {

    public static TrainSettings from(FleetConfig config) {
        Preset preset;
        try {
            preset = Preset.forTraining(config);
        } catch (IOException e) {
            throw new UncheckedIOException("the train worker cannot find its base model: " + e.getMessage(), e);
        }
        return new TrainSettings(preset,
                Settings.TRAIN_CHECKPOINT_EVERY.read(config),
                Settings.TRAIN_PREVIEW_EVERY.read(config),
                Settings.TRAIN_PROGRESS_EVERY.read(config),
                Settings.TRAIN_LORA_FEED_FORWARD.read(config, preset.feedForwardLoraByDefault()),
                Settings.TRAIN_FIRST_IN_PLACE_SHARE.read(config),
                JobLease.Timing.read(config, Settings.TRAIN_LEASE_HEARTBEAT, Settings.TRAIN_LEASE_STALE),
                trainingMemory(config, preset.trainingMemoryByDefault()));
    }

    private static TrainingMemory trainingMemory(FleetConfig config, TrainingMemory preset) {
        return new TrainingMemory(
                Settings.TRAIN_BLOCK_CHECKPOINTING.read(config, preset.blockCheckpointing()),
                Settings.TRAIN_ATTENTION_RECOMPUTE.read(config, preset.attentionRecompute()),
                Settings.TRAIN_ATTENTION_CHUNK_SCORES.read(config, preset.attentionScoreBudget()));
    }
}
