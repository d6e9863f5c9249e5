package org.ltxfleet.model.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ltxfleet.model.TinyFixtures;
import org.ltxfleet.model.latent.Latent;
import org.ltxfleet.model.latent.TrainingExample;
import org.ltxfleet.model.text.HashedWordEncoder;
import org.ltxfleet.model.transformer.KeyframeLayout;
import org.ltxfleet.model.transformer.LoraSpec;
import org.ltxfleet.model.vae.PixelVideo;
import org.ltxfleet.model.vae.TinyVae;

class KeyframeSamplerTest {

    @Test
    void scheduleRunsFromOneToZeroWithTheLastStepAtATenth() {
        double[] sigmas = SigmaSchedule.of(8, 4096);
        assertThat(sigmas).hasSize(9);
        assertThat(sigmas[0]).isEqualTo(1.0);
        assertThat(sigmas[8]).isEqualTo(0.0);
        assertThat(sigmas[7]).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-12));
        for (int i = 1; i < sigmas.length; i++) {
            assertThat(sigmas[i]).isLessThan(sigmas[i - 1]);
        }
    }

    @Test
    void samplesBetweenKeyframesWithGuidanceAndDecodes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            var model = TinyFixtures.model(LoraSpec.none(), 1, manager);
            TrainingExample example = TinyFixtures.example(0, false);
            var text = new HashedWordEncoder(TinyFixtures.CONFIG.hidden());
            var plain = new GuidanceSettings(3, 1, 0, Set.of(), 0, 5);
            var guided = new GuidanceSettings(3, 3, 1, Set.of(2), 0.7, 5);
            Latent a = sample(model, example, text, plain, manager);
            Latent b = sample(model, example, text, plain, manager);
            Latent c = sample(model, example, text, guided, manager);
            assertThat(a.frames()).isEqualTo(5);
            assertThat(a.data()).containsExactly(b.data());
            assertThat(c.data()).isNotEqualTo(a.data());
            for (float v : c.data()) {
                assertThat(Float.isFinite(v)).isTrue();
            }
            PixelVideo video = new TinyVae().decode(c);
            assertThat(video.frameCount()).isEqualTo(33);
            assertThat(video.width()).isEqualTo(128);
            assertThat(video.height()).isEqualTo(96);
        }
    }

    @Test
    void keyframesInPlaceComeOutExactlyAsGivenThroughGuidance() {
        try (NDManager manager = NDManager.newBaseManager()) {
            var model = TinyFixtures.model(LoraSpec.none(), 1, manager);
            TrainingExample example = TinyFixtures.example(0, false);
            var text = new HashedWordEncoder(TinyFixtures.CONFIG.hidden());
            var guided = new GuidanceSettings(3, 3, 1, Set.of(1), 0.7, 5);
            Latent sampled = sample(model, example, KeyframeLayout.ENDS_IN_PLACE, text, guided, manager);
            Latent appended = sample(model, example, KeyframeLayout.APPENDED, text, guided, manager);
            float[] rows = sampled.tokenRows();
            int frame = 12 * sampled.channels();
            // Latent frame 0 holds pixel frame 0; latent frame 4 holds pixel frames 25..32, the last keyframe's.
            assertThat(Arrays.copyOf(rows, frame)).containsExactly(example.keyframes().get(0).latent().tokenRows());
            assertThat(Arrays.copyOfRange(rows, 4 * frame, 5 * frame))
                    .containsExactly(example.keyframes().get(1).latent().tokenRows());
            assertThat(Arrays.copyOf(appended.tokenRows(), frame))
                    .isNotEqualTo(example.keyframes().get(0).latent().tokenRows());
        }
    }

    private static Latent sample(org.ltxfleet.model.transformer.VideoTransformer model, TrainingExample example,
                                 HashedWordEncoder text, GuidanceSettings settings, NDManager manager) {
        return sample(model, example, KeyframeLayout.APPENDED, text, settings, manager);
    }

    private static Latent sample(org.ltxfleet.model.transformer.VideoTransformer model, TrainingExample example,
                                 KeyframeLayout layout, HashedWordEncoder text, GuidanceSettings settings,
                                 NDManager manager) {
        return KeyframeSampler.sample(model, example.video().frames(), example.video().height(), example.video().width(),
                example.keyframes(), layout, example.caption(), text.encode("blurry"), example.fps(), settings, manager);
    }
}
