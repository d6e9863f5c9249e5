package org.ltxfleet.model.transformer;

import ai.djl.ndarray.NDArray;
import java.util.Set;

/**
 * One forward pass's inputs.
 *
 * @param latents normalised latent tokens {@code [B, T, C]}: video tokens, then keyframe tokens
 * @param timesteps σ per token {@code [B, T]} (0 for clean conditioning tokens)
 * @param sigma the sample's σ {@code [B]} (drives the prompt AdaLN)
 * @param context text features {@code [B, S, D]}
 * @param rope rotary tables for the T tokens
 * @param skipSelfAttentionIn blocks whose self-attention STG's perturbed pass skips (usually empty)
 */
public record TransformerInput(NDArray latents, NDArray timesteps, NDArray sigma, NDArray context, Rope rope,
                               Set<Integer> skipSelfAttentionIn) {

    /** The same inputs attending to another text (the negative prompt of classifier-free guidance). */
    public TransformerInput withContext(NDArray other) {
        return new TransformerInput(latents, timesteps, sigma, other, rope, skipSelfAttentionIn);
    }

    /** The same inputs with self-attention skipped in {@code blocks} (STG's perturbed pass). */
    public TransformerInput skipping(Set<Integer> blocks) {
        return new TransformerInput(latents, timesteps, sigma, context, rope, blocks);
    }
}
