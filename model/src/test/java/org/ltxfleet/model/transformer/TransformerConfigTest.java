package org.ltxfleet.model.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TransformerConfigTest {

    /** The keys of the {@code config.transformer} metadata of a reduced LTX-2.3 checkpoint. */
    private static final String REDUCED = """
            {"transformer": {"num_layers": 3, "num_attention_heads": 2, "attention_head_dim": 32, "in_channels": 16,
             "out_channels": 16, "cross_attention_dim": 64, "apply_gated_attention": true,
             "cross_attention_adaln": true, "caption_proj_before_connector": true}}""";

    @Test
    void widthsComeFromTheCheckpointsMetadataAndTheRestFromLtx23() {
        var config = TransformerConfig.fromCheckpointMetadata(REDUCED);
        assertThat(config.blocks()).isEqualTo(3);
        assertThat(config.hidden()).isEqualTo(64);
        assertThat(config.latentChannels()).isEqualTo(16);
        assertThat(config.stgBlock()).as("block 28 is gone: STG on the last").isEqualTo(2);
        assertThat(config.samplingSteps()).isEqualTo(TransformerConfig.ltx23().samplingSteps());
    }

    @Test
    void theRealReleasesMetadataGivesTheLtx23Preset() {
        String real = """
                {"transformer": {"num_layers": 48, "num_attention_heads": 32, "attention_head_dim": 128,
                 "in_channels": 128, "out_channels": 128, "cross_attention_dim": 4096,
                 "apply_gated_attention": true, "cross_attention_adaln": true}}""";
        assertThat(TransformerConfig.fromCheckpointMetadata(real)).isEqualTo(TransformerConfig.ltx23());
    }

    @Test
    void aConfigWrittenAsMetadataReadsBackTheSame() {
        var reduced = TransformerConfig.fromCheckpointMetadata(REDUCED);
        assertThat(TransformerConfig.fromCheckpointMetadata("{\"transformer\": " + reduced.toCheckpointMetadata() + "}"))
                .isEqualTo(reduced);
    }

    @Test
    void aCaptionProjectionItCannotComputeIsRefusedByName() {
        String ltx2 = REDUCED.replace("\"cross_attention_dim\": 64", "\"cross_attention_dim\": 3840");
        assertThatThrownBy(() -> TransformerConfig.fromCheckpointMetadata(ltx2))
                .hasMessageContaining("cross_attention_dim 3840");
        assertThatThrownBy(() -> TransformerConfig.fromCheckpointMetadata("{\"vae\": {}}"))
                .hasMessageContaining("no 'transformer' section");
    }

    @Test
    void tinyIsLtx23AtTwoBlocksOfTwoWideHeads() {
        var tiny = TransformerConfig.tiny();
        assertThat(tiny.hidden()).isEqualTo(256);
        assertThat(tiny.blocks()).isEqualTo(2);
        assertThat(tiny.stgBlock()).isEqualTo(1);
        assertThat(tiny.samplingSteps()).isEqualTo(8);
        assertThat(tiny.latentChannels()).isEqualTo(128);
    }
}
