package org.ltxfleet.model.sampling;

import ai.djl.ndarray.NDArray;
import org.ltxfleet.model.transformer.TransformerInput;
import org.ltxfleet.model.transformer.VideoTransformer;

/**
 * One guided clean estimate, as LTX-2.3's pipelines make it: the model's velocity becomes
 * {@code x₀ = x − v·t} per token (t = 0 leaves a conditioning token as it is), and the passes
 * combine into {@code c + (cfg − 1)(c − u) + stg·(c − p)} (c conditional, u with the negative
 * prompt, p with self-attention skipped in the STG blocks; the audio-video modality pass is the
 * conditional one in a video-only model, so its term vanishes), then the spread is pulled back
 * towards the conditional one: {@code ·(r·std(c)/std(g) + 1 − r)}, unbiased std over every element
 * of every token. Matches the official guider to 1e-4 ({@code TransformerGoldenTest}).
 */
public final class GuidedDenoiser {

    private GuidedDenoiser() {
    }

    /** The clean estimates of each pass and the guided one, every token {@code [B, T, C]}. */
    public record Passes(NDArray conditional, NDArray unconditional, NDArray perturbed, NDArray guided) {
    }

    /** Runs the passes {@code settings} asks for on {@code conditional}; {@code negative} is the negative prompt's context. */
    public static Passes denoise(VideoTransformer model, TransformerInput conditional, NDArray negative,
                                 GuidanceSettings settings) {
        NDArray cond = cleanEstimate(model, conditional);
        NDArray guided = cond;
        NDArray uncond = null;
        NDArray perturbed = null;
        if (settings.cfgScale() != 1) {
            uncond = cleanEstimate(model, conditional.withContext(negative));
            guided = guided.add(cond.sub(uncond).mul((float) (settings.cfgScale() - 1)));
        }
        if (settings.stgScale() != 0 && !settings.stgBlocks().isEmpty()) {
            perturbed = cleanEstimate(model, conditional.skipping(settings.stgBlocks()));
            guided = guided.add(cond.sub(perturbed).mul((float) settings.stgScale()));
        }
        if (settings.rescale() != 0 && guided != cond) {
            double factor = unbiasedStd(cond) / Math.max(unbiasedStd(guided), 1e-8);
            guided = guided.mul((float) (settings.rescale() * factor + (1 - settings.rescale())));
        }
        return new Passes(cond, uncond, perturbed, guided);
    }

    /** {@code x − v·t} for every token, t its own timestep. */
    static NDArray cleanEstimate(VideoTransformer model, TransformerInput input) {
        NDArray velocity = model.forward(input);
        return input.latents().sub(velocity.mul(input.timesteps().expandDims(2)));
    }

    private static double unbiasedStd(NDArray array) {
        long n = array.size();
        NDArray centered = array.sub(array.mean());
        return Math.sqrt(centered.square().sum().getFloat() / (n - 1));
    }
}
