package org.ltxfleet.model.text.gemma;

import ai.djl.ndarray.NDArray;
import org.ltxfleet.model.nn.Module;

/**
 * One decoder layer ({@code layers.i}): Gemma-3 normalises both before and after each sublayer —
 * {@code h += post_attention_layernorm(attn(input_layernorm(h)))}, then
 * {@code h += post_feedforward_layernorm(mlp(pre_feedforward_layernorm(h)))}.
 */
final class GemmaDecoderLayer extends Module {

    private final LayerType type;
    private final GemmaRmsNorm inputNorm;
    private final GemmaAttention attention;
    private final GemmaRmsNorm postAttentionNorm;
    private final GemmaRmsNorm preFeedForwardNorm;
    private final GemmaMlp mlp;
    private final GemmaRmsNorm postFeedForwardNorm;

    GemmaDecoderLayer(Gemma3Config config, LayerType type) {
        this.type = type;
        float eps = config.normEps();
        this.inputNorm = child("input_layernorm", new GemmaRmsNorm(config.hidden(), eps));
        this.attention = child("self_attn", new GemmaAttention(config));
        this.postAttentionNorm = child("post_attention_layernorm", new GemmaRmsNorm(config.hidden(), eps));
        this.preFeedForwardNorm = child("pre_feedforward_layernorm", new GemmaRmsNorm(config.hidden(), eps));
        this.mlp = child("mlp", new GemmaMlp(config));
        this.postFeedForwardNorm = child("post_feedforward_layernorm", new GemmaRmsNorm(config.hidden(), eps));
    }

    LayerType type() {
        return type;
    }

    /** The residual stream after this layer; {@code name} prefixes what the probe sees. */
    NDArray apply(NDArray h, LayerContext context, String name, GemmaProbe probe) {
        NDArray attended = attention.apply(inputNorm.apply(h), context);
        probe.see(name + ".attn_out", attended);
        NDArray afterAttention = h.add(postAttentionNorm.apply(attended));
        NDArray fed = mlp.apply(preFeedForwardNorm.apply(afterAttention));
        probe.see(name + ".mlp_out", fed);
        return afterAttention.add(postFeedForwardNorm.apply(fed));
    }
}
