package org.ltxfleet.model.bench;

import org.ltxfleet.model.transformer.LoraSpec;
import org.ltxfleet.model.transformer.TransformerConfig;

/**
 * What one block's graph keeps alive until its backward pass, counted op by op from
 * TransformerBlock, Attention, FeedForward, LoraLinear and Functional as built. Every op result is
 * freed when its scope ends (docs/djl-notes.md), so what stays is what autograd saved (PyTorch
 * saves an operand only when the other operand's gradient needs it: a product with a frozen
 * weight or an AdaLN row keeps the weight or the row, not the activation) and what the
 * {@code BackwardTape} owns at an attention cut.
 *
 * <p>Counts are in token rows: a unit is {@code [T, D]} float32 for the video tokens, or
 * {@code [S, D]} for the text context. Left out: {@code [T, heads]} gates, {@code [T, 1]} norms and
 * the adapters' {@code [T, rank]} down-projections (8 × 32 values per token at rank 32).
 */
final class SavedTensors {

    /**
     * Self-attention: its modulated input (read by the adapted q, k, v projections), q and k before
     * their norms (rmsNorm's division saves its dividend), the scaled queries, rotated keys, values
     * and output (owned by the tape's cut), and the copy that {@code reshape} makes of the gated
     * head-major output, read by the adapted {@code to_out.0}.
     */
    static final int SELF_ATTENTION = 8;
    /**
     * Cross-attention: the residual its rmsNorm divides, the modulated query, q before its norm, the
     * scaled queries, the output and the gated output's copy; k, v and the modulated context are
     * text rows ({@link #CROSS_ATTENTION_CONTEXT}).
     */
    static final int CROSS_ATTENTION = 6;
    /** The modulated context (read by the adapted k and v), k before its norm, the normed k, v. */
    static final int CROSS_ATTENTION_CONTEXT = 4;
    /** The residual the feed-forward's rmsNorm divides. */
    static final int FEED_FORWARD_NORM = 1;
    /** GELU(tanh) of {@code [T, f·D]}: its input (x³ and x·(1 + tanh) save it), tanh, 1 + tanh. */
    static final int GELU_SAVED = 3;
    /** The block's output: the root its backward pass starts from. */
    static final int OUTPUT = 1;
    /**
     * Gradients alive at once in a block's backward pass, at its largest (the feed-forward's):
     * three {@code [T, f·D]} (the down projection's input gradient and GELU's two products) and the
     * residual stream's gradient in and out.
     */
    static final int BACKWARD_FF_WIDE = 3;
    static final int BACKWARD_NARROW = 2;

    private SavedTensors() {
    }

    /**
     * Video-token units one block keeps for its backward pass: its AdaLN rows (the table added to the
     * prologue's modulation, read by every modulation and gate), both attentions, the feed-forward
     * (with an adapted feed-forward also its modulated input and the GELU output the adapters read).
     */
    static int blockTokenUnits(TransformerConfig config, LoraSpec lora) {
        requireAdaptedLtx23Block(config, lora);
        int f = config.ffMultiplier();
        int feedForward = FEED_FORWARD_NORM + GELU_SAVED * f + (lora.feedForwardRank() > 0 ? 1 + f : 0);
        return config.adalnRows() + SELF_ATTENTION + CROSS_ATTENTION + feedForward + OUTPUT;
    }

    /** Text-context units one block keeps. */
    static int blockContextUnits(TransformerConfig config, LoraSpec lora) {
        requireAdaptedLtx23Block(config, lora);
        return CROSS_ATTENTION_CONTEXT;
    }

    /** Units of gradients a block's backward pass holds at once beside what its graph saved. */
    static int backwardTokenUnits(TransformerConfig config) {
        return BACKWARD_FF_WIDE * config.ffMultiplier() + BACKWARD_NARROW;
    }

    /**
     * Units the whole step holds outside the blocks: the prologue's AdaLN modulation
     * ({@code rows × [T, D]}) and timestep embedding, and the RoPE tables (cos and sin of
     * {@code [T, D/2]}).
     */
    static int stepTokenUnits(TransformerConfig config) {
        return config.adalnRows() + 1 + 1;
    }

    /**
     * Score-sized tensors one attention chunk's backward pass holds at once: the recomputed scores,
     * their probabilities, and the probabilities' gradient (turned into the scores' gradient in
     * place). The plan adds them to the feed-forward's backward gradients although the two are alive
     * at different moments of a block's backward pass: an upper bound by the smaller of the two.
     */
    static final int CHUNK_BUFFERS = 3;

    /**
     * Probabilities autograd keeps when attention is not recomputed: {@code heads × T × (T + S)} a
     * block (softmax saves its output; the product with V saves the same tensor).
     */
    static double keptProbabilities(TransformerConfig config, long tokens, long textTokens) {
        return (double) config.heads() * tokens * (tokens + textTokens);
    }

    private static void requireAdaptedLtx23Block(TransformerConfig config, LoraSpec lora) {
        if (!config.gatedAttention() || !config.crossAttentionAdaln()) {
            throw new IllegalArgumentException("the tensor count follows the LTX-2.3 block (gated attention, "
                    + "cross-attention AdaLN); " + config.name() + " differs");
        }
        if (lora.rank() <= 0) {
            throw new IllegalArgumentException("the tensor count assumes adapted attention projections (rank > 0)");
        }
    }
}
