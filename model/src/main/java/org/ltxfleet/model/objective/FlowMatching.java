package org.ltxfleet.model.objective;

import ai.djl.ndarray.NDArray;

/**
 * The rectified-flow objective of LTX: a clean latent x₀ and noise ε are mixed at level σ as
 * {@code x_σ = (1 − σ)·x₀ + σ·ε}; the model predicts the velocity {@code ε − x₀}; the loss is the
 * mean squared error over the tokens the mask marks as targets (video tokens: keyframe tokens are
 * given clean and carry no loss).
 */
public final class FlowMatching {

    private FlowMatching() {
    }

    /** The noisy input at level σ (a scalar or one per batch item, broadcast over the rest). */
    public static NDArray noisy(NDArray clean, NDArray noise, NDArray sigma) {
        return clean.mul(sigma.neg().add(1)).add(noise.mul(sigma));
    }

    /** The velocity the model should predict. */
    public static NDArray target(NDArray clean, NDArray noise) {
        return noise.sub(clean);
    }

    /**
     * Mean squared error over the masked tokens. {@code prediction} and {@code target} are
     * {@code [batch, tokens, channels]}; {@code lossMask} is {@code [batch, tokens]} with 1 for
     * tokens that count and 0 for the rest.
     */
    public static NDArray loss(NDArray prediction, NDArray target, NDArray lossMask) {
        NDArray perToken = prediction.sub(target).square().mean(new int[] {2});
        NDArray masked = perToken.mul(lossMask);
        return masked.sum().div(lossMask.sum().maximum(1f));
    }
}
