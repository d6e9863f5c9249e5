package org.ltxfleet.model.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ltxfleet.model.latent.Keyframe;
import org.ltxfleet.model.latent.Latent;
import org.ltxfleet.model.nn.Tensors;

/**
 * The token sequence of keyframe-conditioned generation: the video's tokens first (frame-major),
 * then the appended keyframes' tokens, as LTX's keyframe conditioning does. Appended keyframe
 * tokens are clean (timestep 0), carry no loss, and sit in time at their pixel frame (RoPE). A
 * keyframe the {@link KeyframeLayout} puts in place instead fills the video tokens of its latent
 * frame: those are clean too, at timestep 0 and out of the loss, and {@link #pin} restores them.
 *
 * @param videoTokens number of leading video tokens
 * @param keyframeTokens clean appended keyframe token rows {@code [K·H·W][C]}
 * @param positions RoPE positions of all tokens
 * @param noiseMask per token: 1 for a generated video token, 0 for a clean one (in place or appended);
 *                  the timestep scale and the loss mask
 * @param inPlaceTokens clean video token rows {@code [videoTokens][C]} where a keyframe is in place
 *                      (zero elsewhere); null when none is
 */
public record TokenSequence(int videoTokens, float[] keyframeTokens, double[][] positions, float[] noiseMask,
                            float[] inPlaceTokens) {

    /** The sequence for a video latent of {@code frames × height × width} with keyframes laid out by {@code layout}. */
    public static TokenSequence of(int frames, int height, int width, List<Keyframe> keyframes, KeyframeLayout layout,
                                   double fps) {
        int videoTokens = frames * height * width;
        int perKeyframe = height * width;
        int channels = keyframes.isEmpty() ? 0 : keyframes.get(0).latent().channels();
        Map<Integer, Keyframe> inPlace = layout.inPlace(keyframes, frames);
        List<Keyframe> appended = keyframes.stream().filter(k -> !inPlace.containsValue(k)).toList();
        double[][] positions = new double[videoTokens + appended.size() * perKeyframe][];
        System.arraycopy(RopePositions.video(frames, height, width, fps), 0, positions, 0, videoTokens);
        float[] keyTokens = new float[appended.size() * perKeyframe * channels];
        for (int k = 0; k < appended.size(); k++) {
            Keyframe keyframe = appended.get(k);
            System.arraycopy(RopePositions.keyframe(keyframe.pixelFrame(), height, width, fps), 0,
                    positions, videoTokens + k * perKeyframe, perKeyframe);
            float[] rows = keyframe.latent().tokenRows();
            System.arraycopy(rows, 0, keyTokens, k * perKeyframe * channels, rows.length);
        }
        float[] mask = new float[positions.length];
        Arrays.fill(mask, 0, videoTokens, 1);
        float[] clean = inPlace.isEmpty() ? null : new float[videoTokens * channels];
        inPlace.forEach((frame, keyframe) -> {
            Arrays.fill(mask, frame * perKeyframe, (frame + 1) * perKeyframe, 0);
            float[] rows = keyframe.latent().tokenRows();
            System.arraycopy(rows, 0, clean, frame * perKeyframe * channels, rows.length);
        });
        return new TokenSequence(videoTokens, keyTokens, positions, mask, clean);
    }

    /** The sequence of a training example's video and keyframes. */
    public static TokenSequence of(Latent video, List<Keyframe> keyframes, KeyframeLayout layout, double fps) {
        return of(video.frames(), video.height(), video.width(), keyframes, layout, fps);
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
     * σ: the appended keyframe tokens after them, per-token timesteps σ·{@link #noiseMask}. In-place
     * tokens are taken as given: {@link #pin} them first.
     */
    public TransformerInput input(NDArray video, double sigma, NDArray context, RopeTable rope, NDManager manager) {
        int channels = (int) video.getShape().get(2);
        int keyTokens = tokens() - videoTokens;
        NDArray latents = keyTokens == 0 ? video
                : video.concat(Tensors.create(manager, keyframeTokens, new Shape(1, keyTokens, channels)), 1);
        NDArray timesteps = Tensors.create(manager, noiseMask, new Shape(1, tokens())).mul((float) sigma);
        NDArray sigmaArray = Tensors.create(manager, new float[] {(float) sigma}, new Shape(1));
        return new TransformerInput(latents, timesteps, sigmaArray, context, Rope.of(rope, tokens(), manager), Set.of());
    }

    /**
     * The video tokens {@code [1, videoTokens, C]} with the in-place keyframes put back:
     * {@code x·mask + clean·(1 − mask)}, LTX's {@code post_process_latent}; {@code video} itself when
     * no keyframe is in place.
     */
    public NDArray pin(NDArray video, NDManager manager) {
        if (inPlaceTokens == null) {
            return video;
        }
        NDArray mask = Tensors.create(manager, Arrays.copyOf(noiseMask, videoTokens), new Shape(1, videoTokens, 1));
        NDArray clean = Tensors.create(manager, inPlaceTokens, video.getShape());
        return video.mul(mask).add(clean.mul(mask.neg().add(1)));
    }
}
