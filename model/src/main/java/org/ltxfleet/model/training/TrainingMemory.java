package org.ltxfleet.model.training;

import org.ltxfleet.model.nn.AttentionKernel;
import org.ltxfleet.model.nn.BackwardTape;

/**
 * How a training step trades compute for device memory. Gradients are the same either way (tests
 * compare them); what changes is what stays alive until the backward pass.
 *
 * @param blockCheckpointing the forward pass keeps only each block's input, and each block is run
 *        again with a graph for its own backward pass (one more forward; activations of one block
 *        instead of all)
 * @param attentionRecompute attention is differentiated by recomputing its probabilities chunk by
 *        chunk ({@link BackwardTape}), so no T × S tensor outlives its chunk; otherwise autograd keeps
 *        every chunk's probabilities until the backward pass
 * @param attentionScoreBudget most score values an attention chunk holds
 */
public record TrainingMemory(boolean blockCheckpointing, boolean attentionRecompute, long attentionScoreBudget) {

    /** The ltx-2.3 preset's attention chunk: 2^27 scores. */
    public static final long LTX23_SCORE_BUDGET = 1L << 27;

    public TrainingMemory {
        if (attentionScoreBudget < 1) {
            throw new IllegalArgumentException("the attention score budget must be positive, got " + attentionScoreBudget);
        }
    }

    /** One graph for the whole step: fastest where memory allows (the tiny preset on a CPU). */
    public static TrainingMemory plain() {
        return new TrainingMemory(false, false, AttentionKernel.DEFAULT_SCORE_BUDGET);
    }

    /** Block checkpointing and recomputed attention: what ltx-2.3 needs to fit one card. */
    public static TrainingMemory lowest() {
        return new TrainingMemory(true, true, AttentionKernel.DEFAULT_SCORE_BUDGET);
    }

    /**
     * {@link #lowest()} with chunks of 128 M scores (512 MiB of float32): about 245 query rows of a
     * 17,100-token window, so a GPU runs tens of large chunks per attention instead of thousands of
     * launch-bound ones, for ~2 GiB of chunk buffers (docs/GPU.md).
     */
    public static TrainingMemory ltx23() {
        return lowest().withAttentionScoreBudget(LTX23_SCORE_BUDGET);
    }

    public TrainingMemory withBlockCheckpointing(boolean on) {
        return new TrainingMemory(on, attentionRecompute, attentionScoreBudget);
    }

    public TrainingMemory withAttentionRecompute(boolean on) {
        return new TrainingMemory(blockCheckpointing, on, attentionScoreBudget);
    }

    public TrainingMemory withAttentionScoreBudget(long scores) {
        return new TrainingMemory(blockCheckpointing, attentionRecompute, scores);
    }

    public AttentionKernel kernel() {
        return new AttentionKernel(attentionScoreBudget);
    }

    /** The tape a graph of this step is recorded on. */
    BackwardTape tape() {
        return attentionRecompute ? BackwardTape.recording(kernel()) : BackwardTape.none(kernel());
    }

    /** For logs: {@code block checkpointing, recomputed attention (4 M scores a chunk)}. */
    public String describe() {
        return (blockCheckpointing ? "block checkpointing" : "one graph") + ", "
                + (attentionRecompute ? "recomputed attention" : "attention kept for autograd")
                + " (" + (attentionScoreBudget >= 1 << 20 ? (attentionScoreBudget >> 20) + " M" : attentionScoreBudget + "")
                + " scores a chunk)";
    }
}
