package org.ltxfleet.preprocess.dataset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.ltxfleet.model.latent.TrainingExample;
import org.ltxfleet.model.training.ExampleEncoder;
import org.ltxfleet.model.vae.PixelVideo;

/**
 * Encodes samples as they are cut (from several decoding threads at once): the window's latent,
 * its keyframes as one-frame latents, the caption's features. Frames are dropped once encoded, so
 * a job holds latents, not pixels. Samples come back ordered by id, whatever order threads finished in.
 */
public final class SampleEncoder {

    private final ExampleEncoder encoder;
    private final boolean middleKeyframe;
    private final int fps;
    private final DatasetCaps.Tally tally;
    private final Map<String, Encoded> encoded = new ConcurrentSkipListMap<>();

    /** One encoded sample and what the manifest says about it. */
    public record Encoded(TrainingExample example, Map<String, Object> manifestEntry) {
    }

    public SampleEncoder(ExampleEncoder encoder, boolean middleKeyframe, int fps, DatasetCaps caps) {
        this.encoder = encoder;
        this.middleKeyframe = middleKeyframe;
        this.fps = fps;
        this.tally = caps.tally();
    }

    /** Encodes one sample; thread-safe. Throws a 422 once the job's dataset is over its caps. */
    public void accept(Sample sample) {
        PixelVideo window = sample.window().pixels();
        TrainingExample example = sample.importedCaption() == null
                ? encoder.encode(window, sample.caption(), middleKeyframe, fps)
                : encodeWithImported(sample, window);
        tally.take(example);
        var entry = new LinkedHashMap<String, Object>();
        entry.put("id", sample.id());
        entry.put("clip", sample.clip());
        entry.put("source_file", sample.sourceFile());
        entry.put("scene", sample.window().scene());
        entry.put("window", sample.index());
        entry.put("start_seconds", sample.window().startSeconds());
        entry.put("end_seconds", sample.window().endSeconds());
        entry.put("resampled", sample.window().resampled());
        entry.put("caption", sample.caption());
        if (sample.importedCaption() != null) {
            entry.put("caption_features", "imported (" + sample.importedCaption().validTokens() + " tokens attended)");
        }
        entry.put("keyframe_frames", ExampleEncoder.keyframeIndices(window.frameCount(), middleKeyframe));
        encoded.put(sample.id(), new Encoded(example, entry));
    }

    private TrainingExample encodeWithImported(Sample sample, PixelVideo window) {
        try {
            return encoder.encode(window, sample.importedCaption(), middleKeyframe, fps);
        } catch (IllegalArgumentException e) {
            String entry = sample.sourceFile().replaceFirst("\\.[^./]+$", "") + ".safetensors";
            throw ImportedCaption.refused(entry, "does not fit this model: " + e.getMessage());
        }
    }

    /** Encoded samples in id order. */
    public List<Encoded> samples() {
        return new ArrayList<>(encoded.values());
    }
}
