package org.ltxfleet.model.latent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.model.safetensors.DType;
import org.ltxfleet.model.safetensors.SafetensorsWriter;

class TextFeaturesTest {

    /** Three tokens of width 2, the first left padding. */
    private static final TextFeatures LEFT_PADDED = new TextFeatures(3, 2, new float[] {9, 9, 1, 2, 3, 4},
            new boolean[] {false, true, true});

    @Test
    void attendedKeepsOnlyUnmaskedTokensInOrder() {
        TextFeatures attended = LEFT_PADDED.attended();
        assertThat(attended.tokens()).isEqualTo(2);
        assertThat(attended.data()).containsExactly(1, 2, 3, 4);
        assertThat(attended.validTokens()).isEqualTo(2);
        var plain = new TextFeatures(2, 1, new float[] {5, 6});
        assertThat(plain.attended()).isSameAs(plain);
    }

    @Test
    void featuresWithEveryTokenMaskedAreRefused() {
        var none = new TextFeatures(2, 1, new float[] {5, 6}, new boolean[2]);
        assertThatThrownBy(none::attended).hasMessageContaining("every token masked");
        assertThatThrownBy(() -> new TextFeatures(2, 1, new float[] {5, 6}, new boolean[3]))
                .hasMessageContaining("3 entries for 2 tokens");
    }

    @Test
    void aBundleKeepsTheCaptionMaskAndAnOlderBundleWithoutOneReadsAllAttended(@TempDir Path dir) throws Exception {
        var latent = new Latent(1, 1, 1, 1, new float[] {0.5f});
        var example = new TrainingExample(latent, List.of(new Keyframe(0, latent)), LEFT_PADDED, 24);
        Path file = dir.resolve("bundle.safetensors");
        LatentBundle.write(List.of(example), Map.of(), file);
        TextFeatures read = LatentBundle.read(file).get(0).caption();
        assertThat(read.mask()).containsExactly(false, true, true);
        assertThat(read.data()).containsExactly(LEFT_PADDED.data());

        Path older = dir.resolve("older.safetensors");
        new SafetensorsWriter().metadata("samples", "1").metadata("fps", "24.0")
                .add("sample.0.video", DType.F32, new long[] {1, 1, 1, 1}, new float[] {0.5f})
                .add("sample.0.caption", DType.F32, new long[] {3, 2}, LEFT_PADDED.data()).write(older);
        assertThat(LatentBundle.read(older).get(0).caption().mask()).containsExactly(true, true, true);
    }
}
