package org.ltxfleet.preprocess.dataset;

import java.util.ArrayList;
import java.util.List;
import org.ltxfleet.common.job.TrainingInput;
import org.ltxfleet.model.latent.Keyframe;
import org.ltxfleet.model.latent.ValidationSet;
import org.ltxfleet.model.preset.Encoders;
import org.ltxfleet.model.training.ExampleEncoder;
import org.ltxfleet.model.vae.PixelVideo;
import org.ltxfleet.preprocess.video.VideoFrame;

/**
 * The validation entries as the train worker samples them: start, (middle) and end images encoded
 * as keyframes at frames 0, (n−1)/2 and n−1 of a {@code validation_number_of_frames} clip; the
 * prompt with the trigger phrase in front, as training captions have it; the negative prompt
 * (LTX's default when none is given).
 */
public final class ValidationEncoding {

    private ValidationEncoding() {
    }

    public static ValidationSet encode(List<ValidationKeyframes.Entry> entries, TrainingInput input, Encoders encoders) {
        int frames = input.validationNumberOfFrames();
        List<Integer> indices = ExampleEncoder.keyframeIndices(frames, input.includeMiddleKeyframe());
        var encoded = new ArrayList<ValidationSet.Entry>();
        for (ValidationKeyframes.Entry entry : entries) {
            List<VideoFrame> images = input.includeMiddleKeyframe()
                    ? List.of(entry.start(), entry.middle(), entry.end()) : List.of(entry.start(), entry.end());
            var keyframes = new ArrayList<Keyframe>();
            for (int i = 0; i < images.size(); i++) {
                VideoFrame image = images.get(i);
                keyframes.add(new Keyframe(indices.get(i), encoders.vae().encode(
                        new PixelVideo(image.height(), image.width(), new byte[][] {image.rgb()}))));
            }
            String prompt = Captions.of(input.triggerPhrase(), entry.prompt());
            encoded.add(new ValidationSet.Entry(prompt, keyframes, encoders.text().encode(prompt)));
        }
        String negative = input.validationNegativePrompt() == null || input.validationNegativePrompt().isBlank()
                ? TrainingInput.DEFAULT_NEGATIVE_PROMPT : input.validationNegativePrompt();
        return new ValidationSet(encoded, encoders.text().encode(negative), frames, input.validationFrameRate(),
                input.validationBucket().width(), input.validationBucket().height());
    }
}
