package org.ltxfleet.model.preset;

import org.ltxfleet.model.text.TextEncoder;
import org.ltxfleet.model.vae.VideoVae;

/** The VAE and text encoder a preset trains with; both are thread-safe. */
public record Encoders(VideoVae vae, TextEncoder text) {

    /** Both encoders' versions, for the dataset cache key. */
    public String id() {
        return vae.id() + "+" + text.id();
    }
}
