package org.ltxfleet.model.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import org.ltxfleet.model.nn.Functional;
import org.ltxfleet.model.nn.LoraLinear;
import org.ltxfleet.model.nn.Module;

/**
 * LTX attention ({@code attn1} self, {@code attn2} cross): q from the input, k and v from the
 * context; q/k RMS-normalised across all heads; RoPE on q and k when given (self-attention only);
 * softmax attention per head; with gated attention each head's output is scaled by
 * {@code 2·sigmoid(to_gate_logits(x))} (1 at a zero logit); then {@code to_out.0}.
 * STG's perturbed pass replaces the attention output with v (gate and output projection still apply).
 */
public final class Attention extends Module {

    /** Most score values computed at once (4 M floats, 16 MiB). */
    private static final long SCORE_CHUNK = 256L << 10;

    private final int heads;
    private final int headDim;
    private final float scale;
    private final LoraLinear toQ;
    private final LoraLinear toK;
    private final LoraLinear toV;
    private final WeightedRmsNorm qNorm;
    private final WeightedRmsNorm kNorm;
    private final LoraLinear toGateLogits;
    private final LoraLinear toOut;

    Attention(TransformerConfig config, int rank) {
        this(config.heads(), config.headDim(), config.gatedAttention(), rank);
    }

    /** Attention of {@code heads × headDim} (also LTX's text connectors, which share this layout). */
    public Attention(int heads, int headDim, boolean gated, int rank) {
        this.heads = heads;
        this.headDim = headDim;
        this.scale = (float) (1 / Math.sqrt(headDim));
        int width = heads * headDim;
        this.toQ = child("to_q", LoraLinear.withRank(width, width, rank));
        this.toK = child("to_k", LoraLinear.withRank(width, width, rank));
        this.toV = child("to_v", LoraLinear.withRank(width, width, rank));
        this.qNorm = child("q_norm", new WeightedRmsNorm(width));
        this.kNorm = child("k_norm", new WeightedRmsNorm(width));
        this.toGateLogits = gated ? child("to_gate_logits", LoraLinear.of(width, heads)) : null;
        this.toOut = child("to_out.0", LoraLinear.withRank(width, width, rank));
    }

    /**
     * Attends from {@code x [B, T, D]} to {@code context [B, S, D]}.
     *
     * @param rope rotary tables for self-attention, null for cross-attention
     * @param skip STG's perturbation: output v instead of the attention (self-attention only)
     */
    public NDArray apply(NDArray x, NDArray context, Rope rope, boolean skip) {
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        long keys = context.getShape().get(1);
        NDArray v = toV.apply(context).reshape(batch, keys, heads, headDim);
        NDArray out;
        if (skip) {
            out = v;
        } else {
            NDArray q = qNorm.apply(toQ.apply(x)).reshape(batch, tokens, heads, headDim);
            NDArray k = kNorm.apply(toK.apply(context)).reshape(batch, keys, heads, headDim);
            if (rope != null) {
                q = rope.apply(q);
                k = rope.apply(k);
            }
            out = attend(Functional.times(q, scale).transpose(0, 2, 1, 3), k.transpose(0, 2, 3, 1), v.transpose(0, 2, 1, 3))
                    .transpose(0, 2, 1, 3);
        }
        if (toGateLogits != null) {
            NDArray gate = Functional.times(Activation.sigmoid(toGateLogits.apply(x)), 2);
            out = out.mul(gate.expandDims(3));
        }
        return toOut.apply(out.reshape(batch, tokens, (long) heads * headDim));
    }

    /**
     * Softmax attention {@code [B, H, T, d]} over query chunks, so that no score matrix exceeds
     * {@link #SCORE_CHUNK} values: glibc serves such blocks from its reusable heap instead of fresh
     * mmaps, which otherwise cost more (page faults) than the arithmetic on a CPU.
     */
    private static NDArray attend(NDArray q, NDArray kTransposed, NDArray v) {
        long heads = q.getShape().get(1);
        long queries = q.getShape().get(2);
        long keys = kTransposed.getShape().get(3);
        long rows = Math.max(1, SCORE_CHUNK / (heads * keys * q.getShape().get(0)));
        if (rows >= queries) {
            return q.matMul(kTransposed).softmax(3).matMul(v);
        }
        var parts = new NDList();
        for (long from = 0; from < queries; from += rows) {
            NDArray chunk = q.get(new NDIndex(":, :, {}:{}", from, Math.min(queries, from + rows)));
            parts.add(chunk.matMul(kTransposed).softmax(3).matMul(v));
        }
        return NDArrays.concat(parts, 2);
    }
}
