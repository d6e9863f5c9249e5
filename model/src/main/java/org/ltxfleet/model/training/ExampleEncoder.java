package org.ltxfleet.model.training;

import java.util.ArrayList;
import java.util.List;
import org.ltxfleet.model.latent.Keyframe;
import org.ltxfleet.model.latent.TextFeatures;
import org.ltxfleet.model.latent.TrainingExample;
import org.ltxfleet.model.text.TextEncoder;
import org.ltxfleet.model.vae.PixelVideo;
import org.ltxfleet.model.vae.VideoVae;

/**
 * Encodes a window of frames into a training example: the window's latent, and its first and last
 * frame (and the middle one when asked) each encoded alone as a one-frame keyframe latent.
 */
public final class ExampleEncoder {

    private final VideoVae vae;
    private final TextEncoder text;

    public ExampleEncoder(VideoVae vae, TextEncoder text) {
        this.vae = vae;
        this.text = text;
    }

    /** The pixel frames used as keyframes for a window of {@code frames}. */
    public static List<Integer> keyframeIndices(int frames, boolean middle) {
        var indices = new ArrayList<Integer>();
        indices.add(0);
        if (middle) {
            indices.add((frames - 1) / 2);
        }
        indices.add(frames - 1);
        return indices;
    }

    public TrainingExample encode(PixelVideo window, String caption, boolean middleKeyframe, double fps) {
        return encode(window, text.encode(caption), middleKeyframe, fps);
    }

    /** A window with its caption's features made elsewhere (imported with the dataset). */
    public TrainingExample encode(PixelVideo window, TextFeatures caption, boolean middleKeyframe, double fps) {
        if (caption.width() != text.width()) {
            throw new IllegalArgumentException("text features of width " + caption.width() + ", the model reads "
                    + text.width());
        }
        var keyframes = new ArrayList<Keyframe>();
        for (int index : keyframeIndices(window.frameCount(), middleKeyframe)) {
            keyframes.add(new Keyframe(index, keyframe(window, index)));
        }
        return new TrainingExample(vae.encode(window), keyframes, caption, fps);
    }

    /** One frame of a clip as a clean one-frame latent. */
    public org.ltxfleet.model.latent.Latent keyframe(PixelVideo video, int index) {
        return vae.encode(new PixelVideo(video.height(), video.width(), new byte[][] {video.frames()[index]}));
    }
}
