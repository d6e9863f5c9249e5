package org.ltxfleet.model.text.gemma;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ltxfleet.common.json.Json;

/**
 * The Gemma-3 text decoder's shape, with transformers' {@code Gemma3TextConfig} meanings. Build it by
 * name: {@link #fromCheckpointMetadata} (a safetensors {@code config} entry), {@link #fromConfigJson} (a
 * model folder's {@code config.json}), {@link #fromTextConfig} (a {@code text_config} tree) or
 * {@link #gemma3_12b} (what LTX-2.3 uses).
 */
public record Gemma3Config(int vocabSize, int hidden, int intermediate, int heads, int kvHeads, int headDim,
                           double queryPreAttnScalar, int slidingWindow, List<LayerType> layerTypes,
                           RopeSpec globalRope, RopeSpec localRope, float normEps) {

    public Gemma3Config {
        layerTypes = List.copyOf(layerTypes);
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(heads + " query heads do not share " + kvHeads + " kv heads evenly");
        }
        if (headDim % 2 != 0 || slidingWindow < 1 || layerTypes.isEmpty()) {
            throw new IllegalArgumentException("bad Gemma-3 config: head_dim " + headDim + ", sliding_window "
                    + slidingWindow + ", " + layerTypes.size() + " layers");
        }
    }

    /** google/gemma-3-12b(-it): 48 layers of 3840, 16 heads over 8 kv heads of 256, every 6th layer global. */
    public static Gemma3Config gemma3_12b() {
        return new Gemma3Config(262208, 3840, 15360, 16, 8, 256, 256, 1024, pattern(48, 6),
                new RopeSpec(1_000_000, 8), RopeSpec.plain(10_000), 1e-6f);
    }

    /** The {@code text_config} of a safetensors file's {@code config} metadata (or a bare text config). */
    public static Gemma3Config fromCheckpointMetadata(Map<String, String> metadata) {
        String config = metadata.get("config");
        if (config == null) {
            throw new IllegalArgumentException("the checkpoint metadata has no config entry");
        }
        return fromConfigJson(Json.readTree(config.getBytes(StandardCharsets.UTF_8)));
    }

    /** A model folder's {@code config.json}: the multimodal layout's {@code text_config}, or a bare text config. */
    public static Gemma3Config fromConfigJson(JsonNode root) {
        return fromTextConfig(root.has("text_config") ? root.get("text_config") : root);
    }

    /** A Gemma-3 text config in transformers' JSON form (4.x keys or 5.x {@code rope_parameters}). */
    public static Gemma3Config fromTextConfig(JsonNode c) {
        int layers = c.get("num_hidden_layers").asInt();
        List<LayerType> types = new ArrayList<>();
        if (c.hasNonNull("layer_types")) {
            c.get("layer_types").forEach(t -> types.add(LayerType.named(t.asText())));
        } else {
            types.addAll(pattern(layers, c.path("sliding_window_pattern").asInt(6)));
        }
        if (types.size() != layers) {
            throw new IllegalArgumentException(types.size() + " layer types for " + layers + " layers");
        }
        RopeSpec global;
        RopeSpec local;
        JsonNode parameters = c.path("rope_parameters");
        if (parameters.has(LayerType.FULL_ATTENTION.configName())) {
            global = rope(parameters.get(LayerType.FULL_ATTENTION.configName()));
            local = rope(parameters.get(LayerType.SLIDING_ATTENTION.configName()));
        } else {
            JsonNode scaling = c.path("rope_scaling");
            double factor = "linear".equals(scaling.path("rope_type").asText()) ? scaling.get("factor").asDouble() : 1;
            global = new RopeSpec(c.path("rope_theta").asDouble(1_000_000), factor);
            local = RopeSpec.plain(c.path("rope_local_base_freq").asDouble(10_000));
        }
        int headDim = c.path("head_dim").asInt(256);
        return new Gemma3Config(c.get("vocab_size").asInt(), c.get("hidden_size").asInt(),
                c.get("intermediate_size").asInt(), c.get("num_attention_heads").asInt(),
                c.get("num_key_value_heads").asInt(), headDim, c.path("query_pre_attn_scalar").asDouble(headDim),
                c.path("sliding_window").asInt(4096), types, global, local,
                (float) c.path("rms_norm_eps").asDouble(1e-6));
    }

    /**
     * This config as transformers writes a {@code text_config}: the 4.x keys and 5.x's {@code layer_types}
     * and {@code rope_parameters}, so either generation reads it back to this record.
     */
    public ObjectNode toTextConfig() {
        ObjectNode c = Json.object();
        c.put("model_type", "gemma3_text");
        c.put("vocab_size", vocabSize).put("hidden_size", hidden).put("intermediate_size", intermediate);
        c.put("num_hidden_layers", layers()).put("num_attention_heads", heads).put("num_key_value_heads", kvHeads);
        c.put("head_dim", headDim).put("query_pre_attn_scalar", queryPreAttnScalar);
        c.put("sliding_window", slidingWindow).put("rms_norm_eps", normEps);
        c.put("hidden_activation", "gelu_pytorch_tanh");
        ArrayNode types = c.putArray("layer_types");
        layerTypes.forEach(t -> types.add(t.configName()));
        c.put("rope_theta", globalRope.theta()).put("rope_local_base_freq", localRope.theta());
        if (globalRope.linearFactor() != 1) {
            c.putObject("rope_scaling").put("rope_type", "linear").put("factor", globalRope.linearFactor());
        }
        ObjectNode parameters = c.putObject("rope_parameters");
        for (LayerType type : LayerType.values()) {
            RopeSpec spec = rope(type);
            ObjectNode node = parameters.putObject(type.configName()).put("rope_theta", spec.theta());
            if (spec.linearFactor() != 1) {
                node.put("rope_type", "linear").put("factor", spec.linearFactor());
            } else {
                node.put("rope_type", "default");
            }
        }
        return c;
    }

    private static RopeSpec rope(JsonNode node) {
        double theta = node.get("rope_theta").asDouble();
        return "linear".equals(node.path("rope_type").asText()) ? new RopeSpec(theta, node.get("factor").asDouble())
                : RopeSpec.plain(theta);
    }

    /** Layer i is global iff (i + 1) % pattern == 0, as transformers derives {@code layer_types}. */
    static List<LayerType> pattern(int layers, int pattern) {
        List<LayerType> types = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            types.add((i + 1) % pattern == 0 ? LayerType.FULL_ATTENTION : LayerType.SLIDING_ATTENTION);
        }
        return types;
    }

    public int layers() {
        return layerTypes.size();
    }

    /** The RoPE base a layer type uses. */
    public RopeSpec rope(LayerType type) {
        return type == LayerType.FULL_ATTENTION ? globalRope : localRope;
    }

    /** Attention scores are scaled by query_pre_attn_scalar^-1/2, not head_dim^-1/2. */
    public float attentionScale() {
        return (float) (1 / Math.sqrt(queryPreAttnScalar));
    }

    /** The embedding scale sqrt(hidden) as transformers holds it: a float32 number. */
    public float embedScale() {
        return (float) Math.sqrt(hidden);
    }
}
