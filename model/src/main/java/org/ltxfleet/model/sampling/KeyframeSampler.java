package org.ltxfleet.model.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.ltxfleet.model.latent.Keyframe;
import org.ltxfleet.model.latent.Latent;
import org.ltxfleet.model.latent.TextFeatures;
import org.ltxfleet.model.nn.GradMode;
import org.ltxfleet.model.nn.Noise;
import org.ltxfleet.model.nn.Tensors;
import org.ltxfleet.model.training.KeyframeObjective;
import org.ltxfleet.model.transformer.KeyframeLayout;
import org.ltxfleet.model.transformer.TokenSequence;
import org.ltxfleet.model.transformer.VideoTransformer;

/**
 * Euler flow-matching sampler with keyframe conditioning, as LTX's pipelines run it: video tokens
 * start as noise at σ = 1, keyframes enter clean at timestep 0 (appended, as the
 * keyframe-interpolation pipeline does, or in place, as the {@link KeyframeLayout} says), and each
 * step takes the {@link GuidedDenoiser}'s clean estimate, puts the in-place keyframes back into it
 * ({@code post_process_latent}) and steps {@code x ← x + (x − x₀)/σ · (σ_next − σ)}.
 */
public final class KeyframeSampler {

    private KeyframeSampler() {
    }

    /** Samples a latent of {@code frames × height × width} tokens between the keyframes laid out by {@code layout}. */
    public static Latent sample(VideoTransformer model, int frames, int height, int width, List<Keyframe> keyframes,
                                KeyframeLayout layout, TextFeatures prompt, TextFeatures negative, double fps,
                                GuidanceSettings settings, NDManager manager) {
        int channels = model.config().latentChannels();
        TokenSequence sequence = TokenSequence.of(frames, height, width, keyframes, layout, fps);
        int videoTokens = sequence.videoTokens();
        var table = sequence.rope(model.config());
        float[] x = Noise.gaussian(settings.seed(), videoTokens * channels);
        double[] sigmas = SigmaSchedule.of(settings.steps());
        for (int i = 0; i < settings.steps(); i++) {
            double sigma = sigmas[i];
            try (NDManager step = manager.newSubManager(); GradMode off = GradMode.off()) {
                NDArray current = sequence.pin(Tensors.create(step, x, new Shape(1, videoTokens, channels)), step);
                var conditional = sequence.input(current, sigma, KeyframeObjective.context(prompt, step), table, step);
                // Guided over every token, keyframes included (as the official guider's spread is), then
                // only the video tokens step, with the in-place ones put back (the rescale moved them
                // too): every keyframe token stays clean.
                NDArray negativeContext = negative == null ? null : KeyframeObjective.context(negative, step);
                NDArray guided = sequence.pin(GuidedDenoiser.denoise(model, conditional, negativeContext, settings)
                        .guided().get(":, 0:" + videoTokens), step);
                double next = sigmas[i + 1];
                NDArray updated = next == 0 ? guided
                        : current.add(current.sub(guided).div((float) sigma).mul((float) (next - sigma)));
                x = updated.toFloatArray();
            }
        }
        return Latent.fromTokenRows(x, channels, frames, height, width);
    }
}
