package org.ltxfleet.model.latent;

import java.util.List;

/**
 * One training window: the clip's latent, its keyframes (first, last, optionally middle), the
 * caption's features and the frame rate that places tokens in time.
 */
public record TrainingExample(Latent video, List<Keyframe> keyframes, TextFeatures caption, double fps) {

    public TrainingExample {
        keyframes = List.copyOf(keyframes);
        for (Keyframe keyframe : keyframes) {
            Latent k = keyframe.latent();
            if (k.channels() != video.channels() || k.height() != video.height() || k.width() != video.width()) {
                throw new IllegalArgumentException("keyframe at frame " + keyframe.pixelFrame()
                        + " does not match the video latent's channels and size");
            }
        }
    }
}
