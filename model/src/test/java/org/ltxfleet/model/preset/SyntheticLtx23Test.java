package org.ltxfleet.model.preset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.model.latent.Latent;
import org.ltxfleet.model.latent.TextFeatures;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.vae.PixelVideo;

/** The ltx-2.3 preset reads a reduced release through the code that reads the real one. */
class SyntheticLtx23Test {

    @Test
    void theLtx23PresetLoadsEveryPartOfAReducedReleaseByItsRealNames(@TempDir Path dir) throws Exception {
        SyntheticLtx23 files = SyntheticLtx23.write(dir, 5);
        try (var reader = SafetensorsReader.open(files.checkpoint())) {
            assertThat(reader.names()).anyMatch(n -> n.startsWith("model.diffusion_model.transformer_blocks.1.attn1."))
                    .anyMatch(n -> n.startsWith("vae.encoder.")).anyMatch(n -> n.startsWith("text_embedding_projection."))
                    .anyMatch(n -> n.startsWith("model.diffusion_model.video_embeddings_connector."));
        }
        Preset preset = files.preset(dir);
        assertThat(preset.transformer()).isEqualTo(SyntheticLtx23.TRANSFORMER.withName("ltx-2.3"));
        assertThat(preset.baseWeights().local(line -> { })).containsExactly(files.checkpoint());

        Encoders encoders = preset.encoders();
        assertThat(encoders).isSameAs(preset.encoders());
        assertThat(encoders.vae().latentChannels()).isEqualTo(16);
        Latent latent = encoders.vae().encode(new PixelVideo(64, 64, new byte[9][64 * 64 * 3]));
        assertThat(latent.frames()).isEqualTo(2);
        TextFeatures caption = encoders.text().encode("a red disc moving left");
        assertThat(caption.tokens()).isEqualTo(1024);
        assertThat(caption.width()).isEqualTo(preset.transformer().hidden());
        assertThat(encoders.id()).contains("ltx23-gemma3");
    }
}
