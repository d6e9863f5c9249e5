package org.ltxfleet.model.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.ltxfleet.model.latent.Latent;
import org.ltxfleet.model.latent.TextFeatures;
import org.ltxfleet.model.latent.TrainingExample;
import org.ltxfleet.model.nn.Tensors;
import org.ltxfleet.model.objective.FlowMatching;
import org.ltxfleet.model.transformer.KeyframeLayout;
import org.ltxfleet.model.transformer.TokenSequence;
import org.ltxfleet.model.transformer.TransformerInput;
import org.ltxfleet.model.transformer.VideoTransformer;

/**
 * The keyframe-conditioned flow-matching loss of one example: the video tokens are noised to
 * {@code x_σ = (1 − σ)·x₀ + σ·ε}, the keyframes enter clean at timestep 0 (appended, or in place as
 * the {@link KeyframeLayout} says), and the loss is the MSE between the predicted velocity and
 * {@code ε − x₀} over the generated video tokens only.
 */
public final class KeyframeObjective {

    private KeyframeObjective() {
    }

    /** The model's inputs and the loss's target for one draw of σ and ε. */
    public record Prepared(TransformerInput input, NDArray target, NDArray lossMask, int videoTokens) {
    }

    /**
     * Builds the inputs in {@code manager} (a per-step manager). {@code noise} holds one value per video
     * token and channel.
     */
    public static Prepared prepare(VideoTransformer model, TrainingExample example, KeyframeLayout layout, double sigma,
                                   float[] noise, NDManager manager) {
        Latent video = example.video();
        int channels = video.channels();
        TokenSequence sequence = TokenSequence.of(video, example.keyframes(), layout, example.fps());
        int videoTokens = sequence.videoTokens();
        int tokens = sequence.tokens();
        int keyTokens = tokens - videoTokens;

        NDArray clean = Tensors.create(manager, video.tokenRows(), new Shape(1, videoTokens, channels));
        NDArray eps = Tensors.create(manager, noise, new Shape(1, videoTokens, channels));
        NDArray sigmaArray = Tensors.create(manager, new float[] {(float) sigma}, new Shape(1));
        NDArray target = FlowMatching.target(clean, eps);
        if (keyTokens > 0) {
            target = target.concat(manager.zeros(new Shape(1, keyTokens, channels)), 1);
        }
        NDArray lossMask = Tensors.create(manager, sequence.noiseMask(), new Shape(1, tokens));
        NDArray noisy = sequence.pin(FlowMatching.noisy(clean, eps, sigmaArray), manager);
        var input = sequence.input(noisy, sigma, context(example.caption(), manager), sequence.rope(model.config()), manager);
        return new Prepared(input, target, lossMask, videoTokens);
    }

    /** The masked flow-matching loss of a prepared draw. */
    public static NDArray loss(VideoTransformer model, Prepared prepared) {
        NDArray prediction = model.forward(prepared.input());
        return FlowMatching.loss(prediction, prepared.target(), prepared.lossMask());
    }

    /** Text features as a {@code [1, S, D]} context of the tokens their mask lets through. */
    public static NDArray context(TextFeatures caption, NDManager manager) {
        TextFeatures attended = caption.attended();
        return Tensors.create(manager, attended.data(), new Shape(1, attended.tokens(), attended.width()));
    }
}
