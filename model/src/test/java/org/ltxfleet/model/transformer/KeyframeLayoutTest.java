package org.ltxfleet.model.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ltxfleet.model.TinyFixtures;
import org.ltxfleet.model.latent.Keyframe;
import org.ltxfleet.model.latent.TrainingExample;
import org.ltxfleet.model.nn.Noise;
import org.ltxfleet.model.nn.Tensors;
import org.ltxfleet.model.training.KeyframeObjective;

class KeyframeLayoutTest {

    /** 33 frames of 128 × 96: 5 latent frames of 3 × 4 tokens; keyframes at pixel frames 0, 16 and 32. */
    private static final TrainingExample EXAMPLE = TinyFixtures.example(0, true);
    private static final int PER_FRAME = 12;
    private static final int VIDEO = 5 * PER_FRAME;

    @Test
    void appendedLayoutAppendsEveryKeyframeAndPinsNothing() {
        TokenSequence sequence = sequence(KeyframeLayout.APPENDED);
        assertThat(sequence.tokens()).isEqualTo(VIDEO + 3 * PER_FRAME);
        assertThat(sequence.inPlaceTokens()).isNull();
        assertThat(ones(sequence.noiseMask())).isEqualTo(VIDEO);
    }

    @Test
    void firstInPlaceReplacesLatentFrameZeroAndAppendsTheOthers() {
        TokenSequence sequence = sequence(KeyframeLayout.FIRST_IN_PLACE);
        assertThat(sequence.tokens()).isEqualTo(VIDEO + 2 * PER_FRAME);
        float[] mask = sequence.noiseMask();
        assertThat(Arrays.copyOfRange(mask, 0, PER_FRAME)).containsOnly(0f);
        assertThat(Arrays.copyOfRange(mask, PER_FRAME, VIDEO)).containsOnly(1f);
        float[] first = EXAMPLE.keyframes().get(0).latent().tokenRows();
        assertThat(Arrays.copyOf(sequence.inPlaceTokens(), first.length)).containsExactly(first);
        // The appended ones keep their own times: the middle (16.5/24 s), then the last (32.5/24 s).
        assertThat(sequence.positions()[VIDEO][0]).isEqualTo(16.5 / 24);
        assertThat(sequence.positions()[VIDEO + PER_FRAME][0]).isEqualTo(32.5 / 24);
    }

    @Test
    void endsInPlaceAlsoReplacesTheLatentFrameHoldingTheLastPixelFrame() {
        TokenSequence sequence = sequence(KeyframeLayout.ENDS_IN_PLACE);
        assertThat(sequence.tokens()).isEqualTo(VIDEO + PER_FRAME);
        // Pixel frame 32 is the last of latent frame 4 (pixel frames 25..32).
        assertThat(Arrays.copyOfRange(sequence.noiseMask(), 4 * PER_FRAME, VIDEO)).containsOnly(0f);
        assertThat(ones(sequence.noiseMask())).isEqualTo(3 * PER_FRAME);
        float[] last = EXAMPLE.keyframes().get(2).latent().tokenRows();
        int channels = EXAMPLE.video().channels();
        assertThat(Arrays.copyOfRange(sequence.inPlaceTokens(), 4 * PER_FRAME * channels, VIDEO * channels))
                .containsExactly(last);
    }

    @Test
    void pinningPutsTheCleanTokensBackAndLeavesTheRest() {
        TokenSequence sequence = sequence(KeyframeLayout.FIRST_IN_PLACE);
        int channels = EXAMPLE.video().channels();
        float[] noise = Noise.gaussian(3, VIDEO * channels);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] pinned = sequence.pin(Tensors.create(manager, noise, new Shape(1, VIDEO, channels)), manager)
                    .toFloatArray();
            int split = PER_FRAME * channels;
            assertThat(Arrays.copyOf(pinned, split)).containsExactly(EXAMPLE.keyframes().get(0).latent().tokenRows());
            assertThat(Arrays.copyOfRange(pinned, split, pinned.length))
                    .containsExactly(Arrays.copyOfRange(noise, split, noise.length));
        }
    }

    @Test
    void trainingWithTheFirstInPlaceGivesItCleanAtTimestepZeroAndOutOfTheLoss() {
        int channels = EXAMPLE.video().channels();
        try (NDManager manager = NDManager.newBaseManager()) {
            var model = TinyFixtures.model(LoraSpec.none(), 1, manager);
            var prepared = KeyframeObjective.prepare(model, EXAMPLE, KeyframeLayout.FIRST_IN_PLACE, 0.7,
                    Noise.gaussian(5, VIDEO * channels), manager);
            float[] latents = prepared.input().latents().toFloatArray();
            // The video's own first latent frame is its first keyframe: a causal VAE encodes frame 0 alone.
            assertThat(Arrays.copyOf(latents, PER_FRAME * channels))
                    .containsExactly(Arrays.copyOf(EXAMPLE.video().tokenRows(), PER_FRAME * channels));
            assertThat(Arrays.copyOf(prepared.input().timesteps().toFloatArray(), PER_FRAME)).containsOnly(0f);
            assertThat(Arrays.copyOf(prepared.lossMask().toFloatArray(), PER_FRAME)).containsOnly(0f);
            assertThat(prepared.input().timesteps().toFloatArray()[PER_FRAME]).isEqualTo(0.7f);
        }
    }

    @Test
    void labelsReadBack() {
        for (KeyframeLayout layout : KeyframeLayout.values()) {
            assertThat(KeyframeLayout.of(layout.label())).isEqualTo(layout);
        }
        assertThatThrownBy(() -> KeyframeLayout.of("inline")).hasMessageContaining("ends-in-place");
    }

    @Test
    void aLayoutWithoutAFrameZeroKeyframePinsNothingAtTheStart() {
        List<Keyframe> late = List.of(EXAMPLE.keyframes().get(1), EXAMPLE.keyframes().get(2));
        assertThat(KeyframeLayout.FIRST_IN_PLACE.inPlace(late, 5)).isEmpty();
        assertThat(KeyframeLayout.ENDS_IN_PLACE.inPlace(late, 5)).containsOnlyKeys(4);
    }

    private static TokenSequence sequence(KeyframeLayout layout) {
        return TokenSequence.of(EXAMPLE.video(), EXAMPLE.keyframes(), layout, EXAMPLE.fps());
    }

    private static int ones(float[] mask) {
        int count = 0;
        for (float value : mask) {
            count += value == 1 ? 1 : 0;
        }
        return count;
    }
}
