package org.ltxfleet.model.transformer;

import java.util.List;
import org.ltxfleet.model.latent.Keyframe;
import org.ltxfleet.model.latent.Latent;

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

    /** Per-token conditioning mask: 0 for video tokens (noised), 1 for keyframe tokens (clean). */
    public float[] timestepScale() {
        float[] scale = new float[tokens()];
        for (int i = 0; i < videoTokens; i++) {
            scale[i] = 1;
        }
        return scale;
    }
}
