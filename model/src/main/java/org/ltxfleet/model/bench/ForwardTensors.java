package org.ltxfleet.model.bench;

import org.ltxfleet.model.transformer.LoraSpec;
import org.ltxfleet.model.transformer.TransformerConfig;

/**
 * The tensors the transformer's forward pass creates, counted op by op from TransformerBlock,
 * Attention, FeedForward, Functional and Rope as written. In DJL every op result is an NDArray that
 * its NDManager holds until the manager closes, whether autograd needs it or not, so this counts
 * all of them, not only what PyTorch's autograd would save. Views (split, reshape of a contiguous
 * tensor, transpose, squeeze) share storage and are not counted.
 *
 * <p>Counts are in token rows: a unit is {@code [T, D]} for the video tokens, or {@code [S, D]} for
 * the text context. Left out: {@code [T, heads]} gates, {@code [T, 1]} norms and the adapters'
 * {@code [T, rank]} down-projections (8 × 32 values per token at rank 32, 1/16 of a unit).
 */
final class ForwardTensors {

    /** rmsNorm: x², x / rms; modulate: x·scale, x + that, + shift. */
    static final int NORM_AND_MODULATE = 5;
    /** q_norm / k_norm: rmsNorm's two results and the product with its weight. */
    static final int QK_NORM = 3;
    /** Rope.apply: four half-width products, their difference and sum, the concatenation. */
    static final int ROPE = 4;
    /** Functional.geluTanh: x³, ·0.044715, x + that, ·√(2/π), tanh, + 1, x·that, ·0.5. */
    static final int GELU_TANH = 8;
    /** The per-chunk attention outputs and their concatenation. */
    static final int ATTENTION_OUTPUT = 2;
    /** The gated output and the copy reshape makes of its head-major layout. */
    static final int GATED_OUTPUT = 2;
    /** The product with the AdaLN gate row and the residual sum. */
    static final int GATED_RESIDUAL = 2;
    /** adaln_single's path: linear_1, SiLU (sigmoid, product), linear_2, SiLU again. */
    static final int TIMESTEP_EMBEDDING = 6;
    /** The output layer: shift/scale sum, layerNorm (centred, squared, divided), modulate. */
    static final int OUTPUT_LAYER = 2 + 3 + 3;
    /** The patchified input, block 0's input. */
    static final int PATCHIFY = 1;

    private ForwardTensors() {
    }

    /** Video-token units one block creates. */
    static int blockTokenUnits(TransformerConfig config, LoraSpec lora) {
        requireLtx23Block(config);
        int projection = linear(lora.rank() > 0);
        int selfAttention = NORM_AND_MODULATE
                + projection + QK_NORM + ROPE + 1 // q, scaled by 1/√d
                + projection + QK_NORM + ROPE // k
                + projection // v
                + ATTENTION_OUTPUT + GATED_OUTPUT + projection + GATED_RESIDUAL;
        int crossAttention = NORM_AND_MODULATE
                + projection + QK_NORM + 1 // q, no RoPE
                + ATTENTION_OUTPUT + GATED_OUTPUT + projection + GATED_RESIDUAL;
        int f = config.ffMultiplier();
        boolean ffAdapted = lora.feedForwardRank() > 0;
        int feedForward = NORM_AND_MODULATE + f * linear(ffAdapted) + f * GELU_TANH + linear(ffAdapted) + GATED_RESIDUAL;
        return config.adalnRows() + selfAttention + crossAttention + feedForward;
    }

    /** Text-context units one block creates: the modulated context, its k (normed) and v. */
    static int blockContextUnits(TransformerConfig config, LoraSpec lora) {
        requireLtx23Block(config);
        int projection = linear(lora.rank() > 0);
        return 3 + projection + QK_NORM + projection;
    }

    /** Score values one block's attention creates without a memory-efficient kernel: scores and softmax, self and cross. */
    static double attentionValues(TransformerConfig config, long tokens, long textTokens) {
        return 2.0 * config.heads() * ((double) tokens * tokens + (double) tokens * textTokens);
    }

    /** Video-token units created outside the blocks and held for the whole step. */
    static int globalTokenUnits(TransformerConfig config) {
        return TIMESTEP_EMBEDDING + config.adalnRows() + OUTPUT_LAYER + PATCHIFY;
    }

    /**
     * Units alive at once while a block runs backward, on top of its forward's: the feed-forward's
     * gradient chain (four {@code [T, f·D]}), the residual stream's gradient in and out, and the k and
     * v gradients accumulated over query chunks. Attention's own gradients are per query chunk (our
     * attention is chunked), so no {@code T × T} gradient exists at once.
     */
    static int backwardTokenUnits(TransformerConfig config) {
        return 4 * config.ffMultiplier() + 2 + 2;
    }

    /** A projection's outputs: W·x (bias fused); with an adapter also B·(A·x) and the sum. */
    private static int linear(boolean adapted) {
        return adapted ? 3 : 1;
    }

    private static void requireLtx23Block(TransformerConfig config) {
        if (!config.gatedAttention() || !config.crossAttentionAdaln()) {
            throw new IllegalArgumentException("the tensor count follows the LTX-2.3 block (gated attention, "
                    + "cross-attention AdaLN); " + config.name() + " differs");
        }
    }
}
