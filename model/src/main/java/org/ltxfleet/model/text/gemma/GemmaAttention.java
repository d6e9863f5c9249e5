package org.ltxfleet.model.text.gemma;

import ai.djl.ndarray.NDArray;
import org.ltxfleet.model.nn.LoraLinear;
import org.ltxfleet.model.nn.Module;

/**
 * Gemma-3 self-attention ({@code self_attn}): bias-free q/k/v projections, q and k RMS-normalised per
 * head ({@code q_norm}/{@code k_norm}, one [d] vector shared by all heads) before RoPE, scores scaled
 * by query_pre_attn_scalar^-1/2, grouped-query attention (query head h reads kv head h / group),
 * then {@code o_proj}.
 */
final class GemmaAttention extends Module {

    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final float scale;
    private final LoraLinear q;
    private final LoraLinear k;
    private final LoraLinear v;
    private final LoraLinear o;
    private final GemmaRmsNorm qNorm;
    private final GemmaRmsNorm kNorm;

    GemmaAttention(Gemma3Config config) {
        this.heads = config.heads();
        this.kvHeads = config.kvHeads();
        this.headDim = config.headDim();
        this.scale = config.attentionScale();
        int hidden = config.hidden();
        this.q = child("q_proj", LoraLinear.withoutBias(hidden, heads * headDim));
        this.k = child("k_proj", LoraLinear.withoutBias(hidden, kvHeads * headDim));
        this.v = child("v_proj", LoraLinear.withoutBias(hidden, kvHeads * headDim));
        this.o = child("o_proj", LoraLinear.withoutBias(heads * headDim, hidden));
        this.qNorm = child("q_norm", new GemmaRmsNorm(headDim, config.normEps()));
        this.kNorm = child("k_norm", new GemmaRmsNorm(headDim, config.normEps()));
    }

    /** {@code x [B, T, D]} → {@code [B, T, D]} (the o_proj output). */
    NDArray apply(NDArray x, LayerContext context) {
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        int group = heads / kvHeads;
        // [B, T, heads, d] → [B, heads, T, d]; feature j belongs to head j / d.
        NDArray query = context.rope().rotate(qNorm.apply(q.apply(x).reshape(batch, tokens, heads, headDim))
                .transpose(0, 2, 1, 3));
        NDArray key = context.rope().rotate(kNorm.apply(k.apply(x).reshape(batch, tokens, kvHeads, headDim))
                .transpose(0, 2, 1, 3));
        NDArray value = v.apply(x).reshape(batch, tokens, kvHeads, headDim).transpose(0, 2, 1, 3);
        // Query heads grouped by their kv head, [B, kv, group, T, d], so kv heads broadcast instead of being copied.
        NDArray grouped = query.mul(scale).reshape(batch, kvHeads, group, tokens, headDim);
        NDArray scores = grouped.matMul(key.expandDims(2).transpose(0, 1, 2, 4, 3))
                .add(context.scoreBias().expandDims(2));
        NDArray out = scores.softmax(4).matMul(value.expandDims(2))
                .reshape(batch, heads, tokens, headDim)
                .mul(context.queryHasKey());
        return o.apply(out.transpose(0, 2, 1, 3).reshape(batch, tokens, (long) heads * headDim));
    }
}
