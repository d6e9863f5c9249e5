package org.ltxfleet.model.text.gemma;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.ltxfleet.model.nn.CheckpointNames;
import org.ltxfleet.model.nn.Module;

/**
 * The Gemma-3 text decoder (transformers' {@code Gemma3TextModel}) as LTX-2.3's text encoder runs it:
 * scaled embedding, sliding and global layers, final norm; it returns every hidden state, not logits.
 * Parameters carry the checkpoint's names under the text model ({@code layers.0.self_attn.q_proj.weight}).
 */
public final class Gemma3TextModel extends Module {

    private final Gemma3Config config;
    private final TokenEmbedding embedding;
    private final List<GemmaDecoderLayer> layers = new ArrayList<>();
    private final GemmaRmsNorm norm;

    public Gemma3TextModel(Gemma3Config config) {
        this.config = config;
        this.embedding = child("embed_tokens", new TokenEmbedding(config));
        for (int i = 0; i < config.layers(); i++) {
            layers.add(child("layers." + i, new GemmaDecoderLayer(config, config.layerTypes().get(i))));
        }
        this.norm = child("norm", new GemmaRmsNorm(config.hidden(), config.normEps()));
    }

    public Gemma3Config config() {
        return config;
    }

    /** Every parameter by its name in the text model. */
    public Map<String, Parameter> parametersByName() {
        return CheckpointNames.of(this);
    }

    /**
     * The L + 1 hidden states {@code [B, T, D]} transformers returns: the scaled embedding, the outputs
     * of layers 0…L−2, and the final norm of layer L−1's output (which replaces that layer's own output).
     * They live in {@code manager}; {@code probe} sees each layer's attention and MLP outputs and the
     * last layer's output before the norm.
     */
    public List<NDArray> hiddenStates(GemmaInput input, NDManager manager, GemmaProbe probe) {
        Map<LayerType, LayerContext> contexts = new EnumMap<>(LayerType.class);
        for (LayerType type : LayerType.values()) {
            AttentionMask mask = AttentionMask.of(input.attentionMask(), type, config.slidingWindow());
            contexts.put(type, new LayerContext(
                    RotaryTable.of(config.rope(type), config.headDim(), input.tokens()).tensors(manager),
                    mask.scoreBias(manager), mask.queryHasKey(manager)));
        }
        NDArray h = embedding.apply(ids(input, manager));
        List<NDArray> states = new ArrayList<>();
        states.add(h);
        for (int i = 0; i < layers.size(); i++) {
            GemmaDecoderLayer layer = layers.get(i);
            h = layer.apply(h, contexts.get(layer.type()), "layer" + i, probe);
            if (i < layers.size() - 1) {
                states.add(h);
            }
        }
        probe.see("last_layer_output_before_norm", h);
        states.add(norm.apply(h));
        return states;
    }

    private static NDArray ids(GemmaInput input, NDManager manager) {
        long[] flat = new long[input.batch() * input.tokens()];
        for (int b = 0; b < input.batch(); b++) {
            for (int t = 0; t < input.tokens(); t++) {
                flat[b * input.tokens() + t] = input.tokenIds()[b][t];
            }
        }
        return manager.create(flat, new Shape(input.batch(), input.tokens()));
    }
}
