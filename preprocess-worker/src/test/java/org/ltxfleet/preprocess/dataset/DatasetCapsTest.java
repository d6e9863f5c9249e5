package org.ltxfleet.preprocess.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.job.JobFailedException;
import org.ltxfleet.model.latent.Keyframe;
import org.ltxfleet.model.latent.Latent;
import org.ltxfleet.model.latent.TextFeatures;
import org.ltxfleet.model.latent.TrainingExample;

class DatasetCapsTest {

    /** 4 channels × 2 frames × 2 × 2 video, two one-frame keyframes, 3 × 4 caption: 32 + 2 × 16 + 12 floats. */
    private static TrainingExample example() {
        var keyframe = new Latent(4, 1, 2, 2, new float[16]);
        return new TrainingExample(new Latent(4, 2, 2, 2, new float[32]),
                List.of(new Keyframe(0, keyframe), new Keyframe(8, keyframe)), new TextFeatures(3, 4, new float[12]), 24);
    }

    @Test
    void countsEveryFloatOfASample() {
        assertThat(DatasetCaps.Tally.bytesOf(example())).isEqualTo((32 + 32 + 12) * 4L);
    }

    @Test
    void refusesTheSampleThatGoesOverTheCountWith422() {
        var tally = new DatasetCaps(2, 1L << 30).tally();
        tally.take(example());
        tally.take(example());
        var refused = catchThrowableOfType(JobFailedException.class, () -> tally.take(example()));
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.errorType()).isEqualTo("dataset_too_large");
        assertThat(refused.getMessage()).contains("more than 2 samples").contains("fewer or shorter clips");
    }

    @Test
    void refusesTheSampleThatGoesOverTheBytes() {
        var tally = new DatasetCaps(1000, 3 * 304L).tally();
        for (int i = 0; i < 3; i++) {
            tally.take(example());
        }
        var refused = catchThrowableOfType(JobFailedException.class, () -> tally.take(example()));
        assertThat(refused.getMessage()).contains("MiB of latents (4 samples so far)");
    }
}
