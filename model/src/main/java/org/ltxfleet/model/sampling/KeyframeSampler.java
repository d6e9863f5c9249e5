package org.ltxfleet.model.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.ltxfleet.model.latent.Keyframe;
import org.ltxfleet.model.latent.Latent;
import org.ltxfleet.model.latent.TextFeatures;
import org.ltxfleet.model.nn.Noise;
import org.ltxfleet.model.nn.Tensors;
import org.ltxfleet.model.training.KeyframeObjective;
import org.ltxfleet.model.transformer.TokenSequence;
import org.ltxfleet.model.transformer.TransformerInput;
import org.ltxfleet.model.transformer.VideoTransformer;

/**
 * Euler flow-matching sampler with keyframe conditioning (LTX's keyframe-interpolation
 * pipeline): video tokens start as noise at σ = 1, keyframe tokens are appended clean at timestep
 * 0, and each step turns the model's velocity into a clean estimate {@code x₀ = x − σ·v}, guides it
 * {@code x₀ = c + (cfg − 1)(c − u) + stg·(c − p)} (c conditional, u with the negative prompt,
 * p with self-attention skipped in the STG blocks), rescales it, and steps
 * {@code x ← x + (x − x₀)/σ · (σ_next − σ)}.
 */
public final class KeyframeSampler {

    private KeyframeSampler() {
    }

    /** Samples a latent of {@code frames × height × width} tokens between the keyframes. */
    public static Latent sample(VideoTransformer model, int frames, int height, int width, List<Keyframe> keyframes,
                                TextFeatures prompt, TextFeatures negative, double fps, GuidanceSettings settings,
                                NDManager manager) {
        int channels = model.config().latentChannels();
        TokenSequence sequence = TokenSequence.of(frames, height, width, keyframes, fps);
        int videoTokens = sequence.videoTokens();
        var table = sequence.rope(model.config());
        float[] x = Noise.gaussian(settings.seed(), videoTokens * channels);
        double[] sigmas = SigmaSchedule.of(settings.steps());
        for (int i = 0; i < settings.steps(); i++) {
            double sigma = sigmas[i];
            try (NDManager step = manager.newSubManager()) {
                NDArray current = Tensors.create(step, x, new Shape(1, videoTokens, channels));
                var conditional = sequence.input(current, sigma, KeyframeObjective.context(prompt, step), table, step);
                NDArray cond = denoised(model, conditional, current, sigma, videoTokens);
                NDArray guided = cond;
                if (settings.cfgScale() != 1) {
                    var unconditional = conditional.withContext(KeyframeObjective.context(negative, step));
                    guided = guided.add(cond.sub(denoised(model, unconditional, current, sigma, videoTokens))
                            .mul((float) (settings.cfgScale() - 1)));
                }
                if (settings.stgScale() != 0 && !settings.stgBlocks().isEmpty()) {
                    NDArray perturbed = denoised(model, conditional.skipping(settings.stgBlocks()), current, sigma,
                            videoTokens);
                    guided = guided.add(cond.sub(perturbed).mul((float) settings.stgScale()));
                }
                if (settings.rescale() != 0 && guided != cond) {
                    double factor = std(cond) / Math.max(std(guided), 1e-8);
                    guided = guided.mul((float) (settings.rescale() * factor + (1 - settings.rescale())));
                }
                double next = sigmas[i + 1];
                NDArray updated = next == 0 ? guided
                        : current.add(current.sub(guided).div((float) sigma).mul((float) (next - sigma)));
                x = updated.toFloatArray();
            }
        }
        return Latent.fromTokenRows(x, channels, frames, height, width);
    }

    /** The clean estimate {@code x − σ·v} of the video tokens. */
    private static NDArray denoised(VideoTransformer model, TransformerInput input, NDArray current, double sigma,
                                    int videoTokens) {
        NDArray velocity = model.forward(input);
        if (velocity.getShape().get(1) > videoTokens) {
            velocity = velocity.get(":, 0:" + videoTokens);
        }
        return current.sub(velocity.mul((float) sigma));
    }

    private static double std(NDArray array) {
        NDArray centered = array.sub(array.mean());
        return Math.sqrt(centered.square().mean().getFloat());
    }
}
