package org.ltxfleet.model.text.ltx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextEmbeddingsConfigTest {

    /** LTX-2.3's embedded config, the keys this path reads. */
    private static final String REAL = """
            {"transformer": {"num_attention_heads": 32, "attention_head_dim": 128,
             "audio_num_attention_heads": 32, "audio_attention_head_dim": 64,
             "caption_proj_before_connector": true, "caption_projection_first_linear": false,
             "caption_proj_input_norm": false, "caption_projection_second_linear": false,
             "connector_num_attention_heads": 32, "connector_attention_head_dim": 128, "connector_num_layers": 8,
             "audio_connector_num_attention_heads": 32, "audio_connector_attention_head_dim": 64,
             "connector_positional_embedding_max_pos": [4096], "connector_apply_gated_attention": true,
             "connector_num_learnable_registers": 128, "rope_type": "split", "frequencies_precision": "float64"}}
            """;

    @Test
    void theRealConfigReadsAsTheLtx23Preset() {
        assertThat(TextEmbeddingsConfig.fromCheckpointMetadata(REAL)).isEqualTo(TextEmbeddingsConfig.ltx23());
    }

    @Test
    void theTransformerSectionReadsBackUnchanged() {
        var small = new TextEmbeddingsConfig(64, 32, new ConnectorConfig(2, 32, 2, 128, 4096, true),
                new ConnectorConfig(2, 16, 2, 128, 4096, true));
        for (TextEmbeddingsConfig config : java.util.List.of(TextEmbeddingsConfig.ltx23(), small)) {
            var root = org.ltxfleet.common.json.Json.object();
            root.set("transformer", config.toTransformerSection());
            assertThat(TextEmbeddingsConfig.fromCheckpointMetadata(org.ltxfleet.common.json.Json.toString(root)))
                    .isEqualTo(config);
        }
    }

    @Test
    void aFeatureExtractorOtherThanV2IsRefusedByName() {
        String v1 = REAL.replace("\"caption_proj_before_connector\": true", "\"caption_proj_before_connector\": false");
        assertThatThrownBy(() -> TextEmbeddingsConfig.fromCheckpointMetadata(v1))
                .hasMessageContaining("caption_proj_before_connector");
        String interleaved = REAL.replace("\"split\"", "\"interleaved\"");
        assertThatThrownBy(() -> TextEmbeddingsConfig.fromCheckpointMetadata(interleaved))
                .hasMessageContaining("rope_type");
    }

    @Test
    void rightPaddingMovesRealTokensFirstInTheirOrder() {
        int[][] mask = {{0, 0, 1, 1, 1}, {1, 1, 1, 1, 1}, {0, 1, 0, 1, 0}};
        assertThat(RightPadding.order(mask)).isDeepEqualTo(new int[][] {{2, 3, 4, 0, 1}, {0, 1, 2, 3, 4},
                {1, 3, 0, 2, 4}});
        assertThat(RightPadding.reorderedMask(mask)).isDeepEqualTo(new int[][] {{1, 1, 1, 0, 0}, {1, 1, 1, 1, 1},
                {1, 1, 0, 0, 0}});
        assertThatThrownBy(() -> RightPadding.order(new int[][] {{1, 2}})).isInstanceOf(IllegalArgumentException.class);
    }
}
