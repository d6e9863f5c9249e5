package org.ltxfleet.model.text.gemma;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.ltxfleet.model.nn.Tensors;

/**
 * Which keys each query may attend to, {@code [batch, query, key]}, as transformers' masking_utils
 * builds it: causal, real keys only and, on sliding layers, query − key < window. The window is
 * index-based, like the positions.
 */
public record AttentionMask(boolean[] allowed, int batch, int tokens) {

    /** Added to masked scores: exp of it underflows to exactly 0 in float32, and it stays finite. */
    private static final float MASKED = -1e9f;

    /** The mask of a layer type for a padding mask {@code [B][T]} (1 = real token, 0 = pad). */
    public static AttentionMask of(int[][] padding, LayerType type, int window) {
        int batch = padding.length;
        int tokens = padding[0].length;
        boolean[] allowed = new boolean[batch * tokens * tokens];
        for (int b = 0; b < batch; b++) {
            for (int q = 0; q < tokens; q++) {
                for (int k = 0; k <= q; k++) {
                    boolean inWindow = type == LayerType.FULL_ATTENTION || q - k < window;
                    allowed[(b * tokens + q) * tokens + k] = padding[b][k] != 0 && inWindow;
                }
            }
        }
        return new AttentionMask(allowed, batch, tokens);
    }

    /** 1 where allowed, 0 elsewhere (the reference's layout). */
    public float[] toFloats() {
        float[] out = new float[allowed.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = allowed[i] ? 1 : 0;
        }
        return out;
    }

    /** An additive score bias {@code [B, 1, T, T]}: 0 where allowed, a large negative number elsewhere. */
    NDArray scoreBias(NDManager manager) {
        float[] bias = new float[allowed.length];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = allowed[i] ? 0 : MASKED;
        }
        return Tensors.create(manager, bias, new Shape(batch, 1, tokens, tokens));
    }

    /**
     * 1 for queries with at least one allowed key, 0 for the rest {@code [B, 1, T, 1]}: torch's SDPA
     * returns 0 for a row with no allowed key (a left pad's query), and so do we.
     */
    NDArray queryHasKey(NDManager manager) {
        float[] any = new float[batch * tokens];
        for (int row = 0; row < any.length; row++) {
            for (int k = 0; k < tokens && any[row] == 0; k++) {
                any[row] = allowed[row * tokens + k] ? 1 : 0;
            }
        }
        return Tensors.create(manager, any, new Shape(batch, 1, tokens, 1));
    }
}
