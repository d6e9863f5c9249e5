package org.ltxfleet.model.bench;

import org.ltxfleet.model.nn.WeightStorage;
import org.ltxfleet.model.transformer.LoraSpec;
import org.ltxfleet.model.transformer.TransformerConfig;

/**
 * Memory at the peak of one LoRA training step (a block's backward pass), computed from the
 * architecture and the recipe; {@code MemoryBench} measures it on this machine's CPU. The VAE and
 * the text encoder are not resident: the train worker reads precomputed latents and text features.
 *
 * @param frozenBase the base weights
 * @param adapters adapter weights, gradients and AdamW moments (float32, 16 bytes each)
 * @param checkpoints block inputs kept for recomputation (0 on one graph)
 * @param step tensors outside the blocks held for the whole step: AdaLN modulation, timestep
 *        embedding, RoPE tables, the text features
 * @param blocks what autograd saved for the blocks held at once: one recomputed block, or all of them
 * @param weightCasts float32 casts of a 16-bit base that those blocks' graphs keep (a product's input
 *        gradient reads the weight)
 * @param attention attention chunks' score buffers, or the probabilities autograd keeps
 * @param backward gradients alive at once in a block's backward pass
 * @param margin CUDA context, cuBLAS workspaces and allocator slack (0 when comparing with a CPU
 *        process, whose engine is measured before the step)
 */
public record StepMemory(long frozenBase, long adapters, long checkpoints, long step, long blocks, long weightCasts,
                         long attention, long backward, long margin) {

    /** Text context tokens: LTX-2.3 pads every prompt to 1024 (docs/ltx-2.3-architecture.md §1.7, §8). */
    public static final int TEXT_TOKENS = 1024;
    /** An assumption, not a measurement: a CUDA context is ~0.5 GiB, the rest is for the allocator. */
    public static final long MARGIN = 3L << 30;

    private static final int FLOAT32 = 4;
    /** Adapter weight, gradient, first and second moment. */
    private static final int ADAPTER_STATE = 4 * FLOAT32;

    /** The peak of a step over {@code tokens} video and keyframe tokens with {@code textTokens} of context. */
    public static StepMemory of(TransformerConfig config, LoraSpec lora, StepRecipe recipe, long tokens,
                                long textTokens, long margin) {
        double unit = (double) tokens * config.hidden() * StepRecipe.ACTIVATION_BYTES;
        double contextUnit = (double) textTokens * config.hidden() * StepRecipe.ACTIVATION_BYTES;
        boolean checkpointing = recipe.memory().blockCheckpointing();
        int heldBlocks = checkpointing ? 1 : config.blocks();
        double blockBytes = SavedTensors.blockTokenUnits(config, lora) * unit
                + SavedTensors.blockContextUnits(config, lora) * contextUnit;
        long casts = recipe.storage() == WeightStorage.FLOAT16 ? ParameterCount.block(config) * FLOAT32 : 0;
        return new StepMemory(
                ParameterCount.base(config) * recipe.storage().bytes(),
                ParameterCount.adapters(config, lora) * ADAPTER_STATE,
                checkpointing ? (long) (config.blocks() * unit) : 0,
                (long) (SavedTensors.stepTokenUnits(config) * unit + contextUnit),
                (long) (heldBlocks * blockBytes),
                heldBlocks * casts,
                (long) attention(config, recipe, tokens, textTokens, heldBlocks),
                (long) (SavedTensors.backwardTokenUnits(config) * unit),
                margin);
    }

    /** {@link #of(TransformerConfig, LoraSpec, StepRecipe, long, long, long)} on a GPU with LTX's 1024 text tokens. */
    public static StepMemory onGpu(TransformerConfig config, LoraSpec lora, StepRecipe recipe, long tokens) {
        return of(config, lora, recipe, tokens, TEXT_TOKENS, MARGIN);
    }

    private static double attention(TransformerConfig config, StepRecipe recipe, long tokens, long textTokens,
                                    int heldBlocks) {
        if (!recipe.memory().attentionRecompute()) {
            return heldBlocks * SavedTensors.keptProbabilities(config, tokens, textTokens) * FLOAT32;
        }
        long budget = recipe.memory().attentionScoreBudget();
        double largestChunk = Math.max(chunkScores(config, tokens, tokens, budget), chunkScores(config, tokens, textTokens, budget));
        return SavedTensors.CHUNK_BUFFERS * largestChunk * FLOAT32;
    }

    /** Scores of one chunk: as many query rows as the budget allows (at least one, at most all). */
    private static double chunkScores(TransformerConfig config, long queries, long keys, long budget) {
        double perRow = (double) config.heads() * keys;
        return Math.min(queries, Math.max(1, Math.floor(budget / perRow))) * perRow;
    }

    /** Everything at the peak. */
    public long total() {
        return frozenBase + adapters + checkpoints + step + blocks + weightCasts + attention + backward + margin;
    }

    /** What grows with the token count. */
    public long activations() {
        return checkpoints + step + blocks + attention + backward;
    }
}
