package org.ltxfleet.model.bench;

import org.ltxfleet.model.transformer.LoraSpec;
import org.ltxfleet.model.transformer.TransformerConfig;

/**
 * Device memory at the peak of one LoRA training step (the backward pass of a block), computed
 * from the architecture, not measured. The VAE and the text encoder are not resident: the train
 * worker reads precomputed latents and text features.
 *
 * @param frozenBase the base weights
 * @param adapters adapter weights, gradients and AdamW moments (float32, 16 bytes each), plus
 *        whatever optimizer temporaries the recipe leaves alive
 * @param checkpoints block outputs kept for recomputation (0 without checkpointing)
 * @param blocks forward tensors of the blocks held at once: one recomputed block, or all of them
 * @param attention score matrices of those blocks, or a memory-efficient kernel's row statistics
 * @param global tensors outside the blocks held for the step (AdaLN, output layer, float32 RoPE tables)
 * @param backward gradients alive at once during a block's backward pass
 * @param margin CUDA context, cuBLAS workspaces and allocator slack
 */
public record StepMemory(long frozenBase, long adapters, long checkpoints, long blocks, long attention,
                         long global, long backward, long margin) {

    /** Text context tokens: LTX-2.3 pads every prompt to 1024 (docs/ltx-2.3-architecture.md §1.7, §8). */
    public static final int TEXT_TOKENS = 1024;
    /** An assumption, not a measurement: a CUDA context is ~0.5 GiB, the rest is for the allocator. */
    public static final long MARGIN = 3L << 30;

    private static final int FLOAT32 = 4;
    /** Adapter weight, gradient, first and second moment. */
    private static final int ADAPTER_STATE = 4 * FLOAT32;

    /** The peak of a step over {@code tokens} video and keyframe tokens. */
    public static StepMemory of(TransformerConfig config, LoraSpec lora, StepRecipe recipe, long tokens) {
        double unit = (double) tokens * config.hidden() * recipe.activationBytes();
        double contextUnit = (double) TEXT_TOKENS * config.hidden() * recipe.activationBytes();
        int heldBlocks = recipe.blockCheckpointing() ? 1 : config.blocks();
        double blockBytes = ForwardTensors.blockTokenUnits(config, lora) * unit
                + ForwardTensors.blockContextUnits(config, lora) * contextUnit;
        // A memory-efficient kernel keeps one float32 log-sum-exp per head and query, per attention.
        double attentionBytes = recipe.memoryEfficientAttention() ? 2.0 * config.heads() * tokens * FLOAT32
                : ForwardTensors.attentionValues(config, tokens, TEXT_TOKENS) * recipe.activationBytes();
        double ropeTables = (double) tokens * config.hidden() * FLOAT32; // cos and sin, [T, D/2] each
        return new StepMemory(
                ParameterCount.base(config) * recipe.baseBytes(),
                ParameterCount.adapters(config, lora) * (ADAPTER_STATE + recipe.optimizerTemporaryBytes()),
                recipe.blockCheckpointing() ? (long) (config.blocks() * unit) : 0,
                (long) (heldBlocks * blockBytes),
                (long) (heldBlocks * attentionBytes),
                (long) (ForwardTensors.globalTokenUnits(config) * unit + ropeTables),
                (long) (ForwardTensors.backwardTokenUnits(config) * unit),
                MARGIN);
    }

    /** Everything at the peak. */
    public long total() {
        return frozenBase + adapters + checkpoints + blocks + attention + global + backward + margin;
    }

    /** Activations alone: what grows with the token count. */
    public long activations() {
        return checkpoints + blocks + attention + global + backward;
    }
}
