package org.ltxfleet.model.vae;

import org.ltxfleet.model.latent.Latent;

/**
 * A video autoencoder with LTX's geometry: F = 1 + 8k frames of H × W pixels (multiples of 32)
 * become 1 + k latent frames of H/32 × W/32 tokens (the first latent frame holds the first pixel
 * frame alone: causal), normalised per channel. One image (F = 1) encodes to a one-frame latent: a keyframe.
 */
public interface VideoVae {

    int TEMPORAL_FACTOR = 8;
    int SPATIAL_FACTOR = 32;

    /** Name and version; part of the dataset cache key, so a change re-encodes datasets. */
    String id();

    int latentChannels();

    Latent encode(PixelVideo video);

    PixelVideo decode(Latent latent);

    /** Latent frames for {@code pixelFrames} (which must be 1 + 8k). */
    static int latentFrames(int pixelFrames) {
        if (pixelFrames < 1 || (pixelFrames - 1) % TEMPORAL_FACTOR != 0) {
            throw new IllegalArgumentException("a clip for the VAE has 1 + 8k frames, got " + pixelFrames);
        }
        return 1 + (pixelFrames - 1) / TEMPORAL_FACTOR;
    }

    /** Pixel frames a latent of {@code latentFrames} decodes to. */
    static int pixelFrames(int latentFrames) {
        return 1 + (latentFrames - 1) * TEMPORAL_FACTOR;
    }
}
