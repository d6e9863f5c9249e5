package org.ltxfleet.model.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import org.ltxfleet.model.nn.AttentionKernel;
import org.ltxfleet.model.nn.BackwardTape;
import org.ltxfleet.model.nn.Functional;
import org.ltxfleet.model.nn.LoraLinear;
import org.ltxfleet.model.nn.Module;
import org.ltxfleet.model.nn.Scopes;

/**
 * LTX attention ({@code attn1} self, {@code attn2} cross): q from the input, k and v from the
 * context; q/k RMS-normalised across all heads; RoPE on q and k when given (self-attention only);
 * softmax attention per head; with gated attention each head's output is scaled by
 * {@code 2·sigmoid(to_gate_logits(x))} (1 at a zero logit); then {@code to_out.0}.
 * STG's perturbed pass replaces the attention output with v (gate and output projection still apply).
 */
public final class Attention extends Module {

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

    /** What {@link #apply(NDArray, NDArray, Rope, boolean, BackwardTape, NDArray...)} returns. */
    public record Result(NDArray output, NDList carried) {
    }

    /** Attends from {@code x [B, T, D]} to {@code context [B, S, D]} on one graph (inference, the plain path). */
    public NDArray apply(NDArray x, NDArray context, Rope rope, boolean skip) {
        return apply(x, context, rope, skip, BackwardTape.none(AttentionKernel.defaults())).output();
    }

    /**
     * Attends from {@code x [B, T, D]} to {@code context [B, S, D]}. With a recording tape the
     * attention itself is a cut ({@link BackwardTape#attention}): the ops after it read leaves, so
     * {@code carried} (tensors of the caller's that it reads after this attention) come back as the
     * leaves it must use instead; without one they come back as they are.
     *
     * @param rope rotary tables for self-attention, null for cross-attention
     * @param skip STG's perturbation: output v instead of the attention (self-attention, inference only)
     */
    public Result apply(NDArray x, NDArray context, Rope rope, boolean skip, BackwardTape tape, NDArray... carried) {
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        long keys = context.getShape().get(1);
        NDList[] leaves = new NDList[1];
        NDArray output = Scopes.scoped(() -> {
            NDArray v = toV.apply(context).reshape(batch, keys, heads, headDim);
            NDArray out;
            NDArray gateInput = x;
            if (skip) {
                out = v;
                leaves[0] = new NDList(carried);
            } else {
                NDArray q = qNorm.apply(toQ.apply(x)).reshape(batch, tokens, heads, headDim);
                NDArray k = kNorm.apply(toK.apply(context)).reshape(batch, keys, heads, headDim);
                if (rope != null) {
                    q = rope.apply(q);
                    k = rope.apply(k);
                }
                NDArray[] cut = new NDArray[carried.length + 1];
                cut[0] = x;
                System.arraycopy(carried, 0, cut, 1, carried.length);
                BackwardTape.Attended attended = tape.attention(Functional.times(q, scale).transpose(0, 2, 1, 3),
                        k.transpose(0, 2, 3, 1), v.transpose(0, 2, 1, 3), cut);
                out = attended.output().transpose(0, 2, 1, 3);
                gateInput = attended.carried().get(0);
                leaves[0] = attended.carried().subNDList(1);
            }
            if (toGateLogits != null) {
                NDArray gate = Functional.times(Activation.sigmoid(toGateLogits.apply(gateInput)), 2);
                out = out.mul(gate.expandDims(3));
            }
            return toOut.apply(out.reshape(batch, tokens, (long) heads * headDim));
        });
        return new Result(output, leaves[0]);
    }
}
