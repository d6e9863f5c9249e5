package org.ltxfleet.model.bench;

/**
 * How a training step holds its tensors on the device: the precision of the frozen base and of the
 * activations, whether blocks are recomputed in the backward pass, and whether attention keeps its
 * score matrices. Adapters and their AdamW moments are float32 in every recipe (fp16 moments give
 * NaN in DJL, shared/STACK.md).
 *
 * @param name how the plan's tables name it
 * @param baseBytes bytes per frozen base parameter
 * @param activationBytes bytes per activation value
 * @param blockCheckpointing only block inputs are kept; each block is recomputed for its backward
 * @param memoryEfficientAttention attention never materialises the {@code heads × T × T} scores
 * @param optimizerTemporaryBytes bytes per adapter weight that the optimizer step leaves alive
 *        until the step ends
 */
public record StepRecipe(String name, int baseBytes, int activationBytes, boolean blockCheckpointing,
                         boolean memoryEfficientAttention, int optimizerTemporaryBytes) {

    /**
     * The trainer as written today on CUDA natives: float32 everywhere, every op result of the
     * forward held by the step's NDManager until the step ends, and LoraTrainer/AdamW's eleven
     * float32 temporaries per adapter weight (clipped gradient, squares, moment ratios, update).
     */
    public static StepRecipe asWritten() {
        return new StepRecipe("as written: float32, no checkpointing", 4, 4, false, false, 11 * 4);
    }

    /**
     * The GPU plan: a bf16 or fp16 frozen base (2 bytes either way) and activations, per-block
     * recomputation in its own NDManager, optimizer temporaries closed per parameter.
     */
    public static StepRecipe halfPrecision(boolean memoryEfficientAttention) {
        return new StepRecipe(memoryEfficientAttention ? "16-bit base, memory-efficient attention"
                : "16-bit base, attention matrices kept", 2, 2, true, memoryEfficientAttention, 0);
    }
}
