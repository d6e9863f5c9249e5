package org.ltxfleet.preprocess.dataset;

import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Settings;
import org.ltxfleet.preprocess.video.DecodeLimits;

/**
 * How clips are cut into samples (README "Configuration").
 *
 * @param sceneThreshold    content-change score (0-255, HSV) that marks a cut; 27 as PySceneDetect
 * @param minSceneSeconds   shorter scenes are merged into the previous one
 * @param maxWindowsPerClip most samples one source clip may give
 * @param parallelism       clips of one job decoded at once
 * @param decodeLimits      largest picture and longest stretch of a clip decoded
 * @param caps              most samples and latent bytes one job's dataset may hold
 */
public record PreprocessSettings(double sceneThreshold, double minSceneSeconds, int maxWindowsPerClip,
                                 int parallelism, DecodeLimits decodeLimits, DatasetCaps caps) {

    /** Reads the {@code preprocess.*} settings. */
    public static PreprocessSettings from(FleetConfig config) {
        return new PreprocessSettings(
                Settings.PREPROCESS_SCENE_THRESHOLD.read(config),
                Settings.PREPROCESS_SCENE_MIN_SECONDS.read(config),
                Settings.PREPROCESS_MAX_WINDOWS.read(config),
                Settings.PREPROCESS_PARALLELISM.read(config, Math.max(1, Runtime.getRuntime().availableProcessors() / 2)),
                new DecodeLimits(Settings.PREPROCESS_MAX_CLIP_PIXELS.read(config),
                        Settings.PREPROCESS_MAX_CLIP_SECONDS.read(config)),
                new DatasetCaps(Settings.PREPROCESS_MAX_SAMPLES.read(config),
                        Settings.PREPROCESS_MAX_LATENT_BYTES.read(config)));
    }
}
