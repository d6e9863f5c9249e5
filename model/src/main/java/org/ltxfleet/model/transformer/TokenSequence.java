package org.ltxfleet.model.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Set;
import org.ltxfleet.model.latent.Keyframe;
import org.ltxfleet.model.latent.Latent;
import org.ltxfleet.model.nn.Tensors;

/**
 * The token sequence of keyframe-conditioned generation: the video's tokens first (frame-major),
 * then each keyframe's tokens appended, as LTX's keyframe conditioning does. Keyframe tokens are
 * clean (timestep 0), carry no loss, and sit in time at their pixel frame (RoPE).
 *
 * @param videoTokens number of leading video tokens
 * @param keyframeTokens clean keyframe token rows {@code [K·H·W][C]}
 * @param positions RoPE positions of all tokens
 */
public record TokenSequence(int videoTokens, float[] keyframeTokens, double[][] positions) {

    /** The sequence for a video latent of {@code frames × height × width} with these keyframes. */
    public static TokenSequence of(int frames, int height, int width, List<Keyframe> keyframes, double fps) {
        int videoTokens = frames * height * width;
        int perKeyframe = height * width;
        int channels = keyframes.isEmpty() ? 0 : keyframes.get(0).latent().channels();
        double[][] positions = new double[videoTokens + keyframes.size() * perKeyframe][];
        System.arraycopy(RopePositions.video(frames, height, width, fps), 0, positions, 0, videoTokens);
        float[] keyTokens = new float[keyframes.size() * perKeyframe * channels];
        for (int k = 0; k < keyframes.size(); k++) {
            Keyframe keyframe = keyframes.get(k);
            System.arraycopy(RopePositions.keyframe(keyframe.pixelFrame(), height, width, fps), 0,
                    positions, videoTokens + k * perKeyframe, perKeyframe);
            float[] rows = keyframe.latent().tokenRows();
            System.arraycopy(rows, 0, keyTokens, k * perKeyframe * channels, rows.length);
        }
        return new TokenSequence(videoTokens, keyTokens, positions);
    }

    /** The sequence of a training example's video and keyframes. */
    public static TokenSequence of(Latent video, List<Keyframe> keyframes, double fps) {
        return of(video.frames(), video.height(), video.width(), keyframes, fps);
    }

    /** All tokens. */
    public int tokens() {
        return positions.length;
    }

    /** The RoPE tables of the sequence for a model. */
    public RopeTable rope(TransformerConfig config) {
        return RopeTable.of(positions, config.heads(), config.headDim(), TransformerConfig.ROPE_THETA,
                TransformerConfig.ROPE_MAX_POSITIONS);
    }

    /**
     * The transformer's input for the (noisy) video tokens {@code video [1, videoTokens, C]} at level
     * σ: the keyframe tokens appended clean, per-token timesteps σ for video and 0 for keyframes.
     */
    public TransformerInput input(NDArray video, double sigma, NDArray context, RopeTable rope, NDManager manager) {
        int channels = (int) video.getShape().get(2);
        int keyTokens = tokens() - videoTokens;
        NDArray latents = keyTokens == 0 ? video
                : video.concat(Tensors.create(manager, keyframeTokens, new Shape(1, keyTokens, channels)), 1);
        NDArray timesteps = Tensors.create(manager, timestepScale(), new Shape(1, tokens())).mul((float) sigma);
        NDArray sigmaArray = Tensors.create(manager, new float[] {(float) sigma}, new Shape(1));
        return new TransformerInput(latents, timesteps, sigmaArray, context, Rope.of(rope, tokens(), manager), Set.of());
    }

    /** Per-token conditioning mask: 0 for video tokens (noised), 1 for keyframe tokens (clean). */
    public float[] timestepScale() {
        float[] scale = new float[tokens()];
        for (int i = 0; i < videoTokens; i++) {
            scale[i] = 1;
        }
        return scale;
    }
}
