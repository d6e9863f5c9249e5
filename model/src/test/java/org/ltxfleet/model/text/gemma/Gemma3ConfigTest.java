package org.ltxfleet.model.text.gemma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.json.Json;

class Gemma3ConfigTest {

    @Test
    void gemma3_12bHasEverySixthLayerGlobal() {
        var config = Gemma3Config.gemma3_12b();
        assertThat(config.layers()).isEqualTo(48);
        assertThat(IntStream.range(0, 48).filter(i -> config.layerTypes().get(i) == LayerType.FULL_ATTENTION))
                .containsExactly(5, 11, 17, 23, 29, 35, 41, 47);
        assertThat(config.attentionScale()).isEqualTo(1 / 16f);
        assertThat(config.rope(LayerType.FULL_ATTENTION)).isEqualTo(new RopeSpec(1_000_000, 8));
        assertThat(config.rope(LayerType.SLIDING_ATTENTION)).isEqualTo(RopeSpec.plain(10_000));
    }

    /** A transformers 4.x config.json (no layer_types, no rope_parameters) reads as the 12B factory says. */
    @Test
    void aTransformers4ConfigDerivesLayerTypesAndRopeBases() {
        String json = """
                {"text_config": {"vocab_size": 262208, "hidden_size": 3840, "intermediate_size": 15360,
                 "num_hidden_layers": 48, "num_attention_heads": 16, "num_key_value_heads": 8, "head_dim": 256,
                 "query_pre_attn_scalar": 256, "sliding_window": 1024, "sliding_window_pattern": 6,
                 "rope_theta": 1000000.0, "rope_local_base_freq": 10000.0,
                 "rope_scaling": {"factor": 8.0, "rope_type": "linear"}, "rms_norm_eps": 1e-06}}""";
        assertThat(Gemma3Config.fromCheckpointMetadata(Map.of("config", json))).isEqualTo(Gemma3Config.gemma3_12b());
    }

    /** What toTextConfig writes reads back, through a config.json's text_config, to the same record. */
    @Test
    void aWrittenTextConfigReadsBackUnchanged() {
        var sliding = new Gemma3Config(512, 32, 64, 2, 1, 16, 16, 512,
                List.of(LayerType.SLIDING_ATTENTION, LayerType.FULL_ATTENTION), RopeSpec.plain(1_000_000),
                RopeSpec.plain(10_000), 1e-6f);
        for (Gemma3Config config : List.of(Gemma3Config.gemma3_12b(), sliding)) {
            var root = Json.object();
            root.set("text_config", config.toTextConfig());
            var json = Json.readTree(Json.toBytes(root));
            assertThat(Gemma3Config.fromConfigJson(json)).isEqualTo(config);
            ((ObjectNode) json.path("text_config")).remove("rope_parameters");
            assertThat(Gemma3Config.fromConfigJson(json)).as("4.x keys alone").isEqualTo(config);
        }
    }

    @Test
    void layerTypesMustMatchTheLayerCount() {
        var node = Json.readTree("""
                {"vocab_size": 8, "hidden_size": 4, "intermediate_size": 8, "num_hidden_layers": 3,
                 "num_attention_heads": 2, "num_key_value_heads": 1, "head_dim": 2,
                 "layer_types": ["sliding_attention", "full_attention"]}""".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> Gemma3Config.fromTextConfig(node)).hasMessageContaining("2 layer types for 3 layers");
    }
}
