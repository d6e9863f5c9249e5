package org.ltxfleet.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;

/**
 * Softmax attention over chunks of queries, so that no score tensor holds more than a budget of
 * values: {@code O = softmax(Qs·Kᵀ)·V} per head, with {@code Qs} the already scaled queries
 * {@code [B, H, T, d]}, {@code Kᵀ [B, H, d, S]} and {@code V [B, H, S, d]}. Keys are never split, so
 * each chunk's softmax is exact.
 *
 * <p>{@link #backward} gives the gradients of Qs, Kᵀ and V from the output's, recomputing each
 * chunk's probabilities instead of keeping them (FlashAttention's backward, without the tiling over
 * keys): {@code dV += Pᵀ·dO}, {@code dP = dO·Vᵀ}, {@code dS = P ⊙ (dP − rowsum(dP ⊙ P))},
 * {@code dQs = dS·K}, {@code dKᵀ += Qsᵀ·dS}. The row sums are taken as autograd's softmax backward
 * takes them (not FlashAttention's {@code rowsum(dO ⊙ O)}, equal in exact arithmetic but cancelling
 * differently in float32), so the gradients match autograd's to rounding. It holds a few
 * chunk-sized tensors at a time and no T × S tensor outlives its chunk.
 */
public final class AttentionKernel {

    /** 4 M scores (16 MiB of float32) per chunk: large matmuls on a CPU, a small share of a GPU. */
    public static final long DEFAULT_SCORE_BUDGET = 4L << 20;

    private final long scoreBudget;

    public AttentionKernel(long scoreBudget) {
        if (scoreBudget < 1) {
            throw new IllegalArgumentException("the attention score budget must be positive, got " + scoreBudget);
        }
        this.scoreBudget = scoreBudget;
    }

    public static AttentionKernel defaults() {
        return new AttentionKernel(DEFAULT_SCORE_BUDGET);
    }

    /** Most score values a chunk holds. */
    public long scoreBudget() {
        return scoreBudget;
    }

    /** Query rows per chunk for these shapes: as many as the budget allows, at least one. */
    public long rowsPerChunk(NDArray scaledQueries, NDArray keysTransposed) {
        long perRow = scaledQueries.getShape().get(0) * scaledQueries.getShape().get(1) * keysTransposed.getShape().get(3);
        return Math.max(1, scoreBudget / perRow);
    }

    /** {@code softmax(Qs·Kᵀ)·V}; under grad mode autograd records every chunk (the plain path). */
    public NDArray forward(NDArray scaledQueries, NDArray keysTransposed, NDArray values) {
        long queries = scaledQueries.getShape().get(2);
        long rows = rowsPerChunk(scaledQueries, keysTransposed);
        if (rows >= queries) {
            return chunk(scaledQueries, keysTransposed, values);
        }
        var parts = new NDList();
        for (long from = 0; from < queries; from += rows) {
            try (NDArray queryRows = slice(scaledQueries, from, Math.min(queries, from + rows))) {
                parts.add(chunk(queryRows, keysTransposed, values));
            }
        }
        NDArray joined = NDArrays.concat(parts, 2);
        parts.close();
        return joined;
    }

    private static NDArray chunk(NDArray queryRows, NDArray keysTransposed, NDArray values) {
        try (NDArray scores = queryRows.matMul(keysTransposed); NDArray probabilities = scores.softmax(3)) {
            return probabilities.matMul(values);
        }
    }

    /** The three gradients, in order Qs, Kᵀ, V, from the output's gradient {@code dOut}; no graph. */
    public NDList backward(NDArray scaledQueries, NDArray keysTransposed, NDArray values, NDArray dOut) {
        try (GradMode off = GradMode.off()) {
            long queries = scaledQueries.getShape().get(2);
            long rows = rowsPerChunk(scaledQueries, keysTransposed);
            NDArray keys = keysTransposed.transpose(0, 1, 3, 2);
            NDArray valuesTransposed = values.transpose(0, 1, 3, 2);
            NDArray dKeysTransposed = keysTransposed.zerosLike();
            NDArray dValues = values.zerosLike();
            var dQueries = new NDList();
            for (long from = 0; from < queries; from += rows) {
                long to = Math.min(queries, from + rows);
                try (NDScope scope = new NDScope()) {
                    NDArray queryRows = slice(scaledQueries, from, to);
                    NDArray dOutRows = slice(dOut, from, to);
                    NDArray probabilities = queryRows.matMul(keysTransposed).softmax(3);
                    dValues.addi(probabilities.transpose(0, 1, 3, 2).matMul(dOutRows));
                    NDArray dProbabilities = dOutRows.matMul(valuesTransposed);
                    NDArray rowDots = dProbabilities.mul(probabilities).sum(new int[] {3}, true);
                    NDArray dScores = dProbabilities.subi(rowDots).muli(probabilities);
                    dKeysTransposed.addi(queryRows.transpose(0, 1, 3, 2).matMul(dScores));
                    dQueries.add(Tensors.keep(dScores.matMul(keys)));
                }
            }
            NDArray dScaledQueries = dQueries.size() == 1 ? dQueries.head() : NDArrays.concat(dQueries, 2);
            if (dQueries.size() > 1) {
                dQueries.close();
            }
            keys.close();
            valuesTransposed.close();
            return new NDList(dScaledQueries, dKeysTransposed, dValues);
        }
    }

    private static NDArray slice(NDArray x, long from, long to) {
        return x.get(new NDIndex(":, :, {}:{}", from, to));
    }
}
