package org.ltxfleet.model.bench;

import org.ltxfleet.model.nn.WeightStorage;
import org.ltxfleet.model.training.TrainingMemory;

/**
 * How a training step holds its tensors, as the trainer is built: the frozen base in 16 or 32 bits
 * ({@link WeightStorage}); float32 activations, adapters and AdamW moments (fp16 moments give NaN
 * in DJL, docs/djl-notes.md); one graph, or block checkpointing and recomputed attention
 * ({@link TrainingMemory}).
 *
 * @param name how the plan's tables name it
 * @param storage the frozen base's storage
 * @param memory what the step keeps for its backward pass
 */
public record StepRecipe(String name, WeightStorage storage, TrainingMemory memory) {

    /** Activations are float32 in every recipe: the base is cast to float32 where it is used. */
    public static final int ACTIVATION_BYTES = 4;

    /** The ltx-2.3 preset's defaults: a 16-bit base, block checkpointing, recomputed attention. */
    public static StepRecipe ltx23Default() {
        return new StepRecipe("16-bit base, checkpointing, recomputed attention", WeightStorage.FLOAT16,
                TrainingMemory.ltx23());
    }

    /** The 16-bit base on one graph: every block's tensors and float32 weight casts kept. */
    public static StepRecipe halfBaseOneGraph() {
        return new StepRecipe("16-bit base, one graph", WeightStorage.FLOAT16, TrainingMemory.plain());
    }

    /** The tiny preset's recipe at ltx-2.3's width: a float32 base on one graph (the trainer before #24). */
    public static StepRecipe plain() {
        return new StepRecipe("float32 base, one graph", WeightStorage.FLOAT32, TrainingMemory.plain());
    }
}
