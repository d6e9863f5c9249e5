package org.ltxfleet.model.text.ltx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.ltxfleet.common.json.Json;

/**
 * The LTX-2.3 text path after Gemma (feature extractor V2 and the two embeddings connectors), as the
 * {@code transformer} section of the checkpoint's {@code config} metadata describes it.
 *
 * @param videoWidth video feature width = the video transformer's {@code num_attention_heads × attention_head_dim}
 * @param audioWidth audio feature width = {@code audio_num_attention_heads × audio_attention_head_dim}
 * @param video the video connector
 * @param audio the audio connector
 */
public record TextEmbeddingsConfig(int videoWidth, int audioWidth, ConnectorConfig video, ConnectorConfig audio) {

    /** The official connector's register count; the configurators never pass another. */
    public static final int DEFAULT_REGISTERS = 128;

    /** Key values that select feature extractor V2 (per-token RMS norm, one projection per stream). */
    private static final Map<String, Boolean> V2_KEYS = Map.of(
            "caption_proj_before_connector", true,
            "caption_projection_first_linear", false,
            "caption_proj_input_norm", false,
            "caption_projection_second_linear", false);

    public TextEmbeddingsConfig {
        if (video.width() != videoWidth || audio.width() != audioWidth) {
            throw new IllegalArgumentException("connector widths " + video.width() + "/" + audio.width()
                    + " differ from the feature widths " + videoWidth + "/" + audioWidth);
        }
    }

    /** LTX-2.3: features 4096 (video) and 2048 (audio), connectors of 8 blocks, 32 × 128 and 32 × 64. */
    public static TextEmbeddingsConfig ltx23() {
        return new TextEmbeddingsConfig(4096, 2048,
                new ConnectorConfig(32, 128, 8, DEFAULT_REGISTERS, 4096, true),
                new ConnectorConfig(32, 64, 8, DEFAULT_REGISTERS, 4096, true));
    }

    /**
     * Reads the {@code transformer} section of a checkpoint's {@code config} metadata. Variants this
     * implementation does not compute (feature extractor V1, other RoPE types) are refused by name.
     * The register count is {@code connector_num_learnable_registers} where present: the official
     * code ignores that key and always uses 128, which is what LTX-2.3's config says anyway, and a
     * smaller reference model (8 registers) can only be described through it.
     */
    public static TextEmbeddingsConfig fromCheckpointMetadata(String configJson) {
        JsonNode t = Json.readTree(configJson.getBytes(StandardCharsets.UTF_8)).path("transformer");
        if (t.isMissingNode()) {
            throw new IllegalArgumentException("the checkpoint's config has no 'transformer' section");
        }
        V2_KEYS.forEach((key, value) -> {
            if (!t.path(key).isBoolean() || t.path(key).asBoolean() != value) {
                throw new IllegalArgumentException("only feature extractor V2 is supported (" + key + " = " + value
                        + "), the config has " + t.path(key));
            }
        });
        require(t, "rope_type", "split");
        require(t, "frequencies_precision", "float64");
        int registers = t.path("connector_num_learnable_registers").asInt(DEFAULT_REGISTERS);
        int maxPosition = t.path("connector_positional_embedding_max_pos").path(0).asInt(4096);
        boolean gated = t.path("connector_apply_gated_attention").asBoolean(false);
        int blocks = integer(t, "connector_num_layers");
        return new TextEmbeddingsConfig(
                integer(t, "num_attention_heads") * integer(t, "attention_head_dim"),
                integer(t, "audio_num_attention_heads") * integer(t, "audio_attention_head_dim"),
                new ConnectorConfig(integer(t, "connector_num_attention_heads"),
                        integer(t, "connector_attention_head_dim"), blocks, registers, maxPosition, gated),
                new ConnectorConfig(integer(t, "audio_connector_num_attention_heads"),
                        integer(t, "audio_connector_attention_head_dim"), blocks, registers, maxPosition, gated));
    }

    /**
     * The {@code transformer} keys {@link #fromCheckpointMetadata} reads, describing this config. The
     * transformer's own {@code num_attention_heads × attention_head_dim} (and the audio pair) are given
     * the connectors' heads, as in LTX-2.3 where they coincide (32 × 128, 32 × 64); a checkpoint whose
     * transformer splits the same width otherwise should keep its own values for those four keys.
     */
    public ObjectNode toTransformerSection() {
        ObjectNode t = Json.object();
        t.put("num_attention_heads", video.heads()).put("attention_head_dim", video.headDim());
        t.put("audio_num_attention_heads", audio.heads()).put("audio_attention_head_dim", audio.headDim());
        V2_KEYS.forEach(t::put);
        t.put("connector_num_attention_heads", video.heads()).put("connector_attention_head_dim", video.headDim());
        t.put("audio_connector_num_attention_heads", audio.heads())
                .put("audio_connector_attention_head_dim", audio.headDim());
        if (video.blocks() != audio.blocks() || video.registers() != audio.registers()
                || video.ropeMaxPosition() != audio.ropeMaxPosition()
                || video.gatedAttention() != audio.gatedAttention()) {
            throw new IllegalStateException("the checkpoint config holds one block count, register count, RoPE bound"
                    + " and gating for both connectors; these differ: " + this);
        }
        t.put("connector_num_layers", video.blocks());
        t.putArray("connector_positional_embedding_max_pos").add(video.ropeMaxPosition());
        t.put("connector_apply_gated_attention", video.gatedAttention());
        t.put("connector_num_learnable_registers", video.registers());
        t.put("rope_type", "split").put("frequencies_precision", "float64");
        return t;
    }

    private static int integer(JsonNode t, String key) {
        if (!t.path(key).canConvertToInt()) {
            throw new IllegalArgumentException("the checkpoint's transformer config lacks '" + key + "'");
        }
        return t.path(key).asInt();
    }

    private static void require(JsonNode t, String key, String supported) {
        JsonNode value = t.path(key);
        if (!value.isMissingNode() && !value.asText().equals(supported)) {
            throw new IllegalArgumentException(key + " = " + value.asText() + " is not supported (only " + supported
                    + ", as in LTX-2.3)");
        }
    }
}
