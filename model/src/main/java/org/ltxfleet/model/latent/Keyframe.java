package org.ltxfleet.model.latent;

/** A clean conditioning latent (one frame) and the pixel frame of the clip it shows. */
public record Keyframe(int pixelFrame, Latent latent) {

    public Keyframe {
        if (latent.frames() != 1) {
            throw new IllegalArgumentException("a keyframe latent has one frame, got " + latent.frames());
        }
    }
}
