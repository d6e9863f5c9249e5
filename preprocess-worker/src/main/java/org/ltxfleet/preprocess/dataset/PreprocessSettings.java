package org.ltxfleet.preprocess.dataset;

import org.ltxfleet.common.config.FleetConfig;
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
                Double.parseDouble(config.string("preprocess.scene.threshold", "27")),
                Double.parseDouble(config.string("preprocess.scene.min.seconds", "0.5")),
                config.integer("preprocess.max.windows.per.clip", 8),
                config.integer("preprocess.parallelism", Math.max(1, Runtime.getRuntime().availableProcessors() / 2)),
                new DecodeLimits(config.longValue("preprocess.max.clip.pixels", DecodeLimits.DEFAULT.maxPixels()),
                        Double.parseDouble(config.string("preprocess.max.clip.seconds",
                                String.valueOf(DecodeLimits.DEFAULT.maxSeconds())))),
                new DatasetCaps(config.integer("preprocess.max.samples", 1000),
                        config.longValue("preprocess.max.latent.bytes", 1L << 30)));
    }
}
