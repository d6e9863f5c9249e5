package org.ltxfleet.model.bench;

import org.ltxfleet.common.job.Bucket;
import org.ltxfleet.model.vae.VideoVae;

/**
 * What one training step sees: a window of {@code frames} pixel frames in a bucket, plus
 * {@code keyframes} one-frame latents appended as clean tokens (2, or 3 with the middle keyframe).
 *
 * @param bucket the frame size
 * @param frames pixel frames, 1 + 8k
 * @param keyframes appended keyframe latents
 */
public record TrainingShape(Bucket bucket, int frames, int keyframes) {

    public TrainingShape {
        VideoVae.latentFrames(frames); // refuses a count off the VAE's 1 + 8k grid
        if (keyframes < 0) {
            throw new IllegalArgumentException("keyframes must be ≥ 0, got " + keyframes);
        }
    }

    /** Tokens of one latent frame: {@code H/32 × W/32}. */
    public long tokensPerFrame() {
        return (long) (bucket.height() / VideoVae.SPATIAL_FACTOR) * (bucket.width() / VideoVae.SPATIAL_FACTOR);
    }

    /** The transformer's sequence length: video latent frames and keyframes, each a full frame of tokens. */
    public long tokens() {
        return (VideoVae.latentFrames(frames) + keyframes) * tokensPerFrame();
    }
}
