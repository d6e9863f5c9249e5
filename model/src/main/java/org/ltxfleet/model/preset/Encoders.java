package org.ltxfleet.model.preset;

import org.ltxfleet.model.text.HashedWordEncoder;
import org.ltxfleet.model.text.TextEncoder;
import org.ltxfleet.model.transformer.TransformerConfig;
import org.ltxfleet.model.vae.TinyVae;
import org.ltxfleet.model.vae.VideoVae;

/** The VAE and text encoder a preset trains with; both are thread-safe. */
public record Encoders(VideoVae vae, TextEncoder text) {

    /** Both encoders' versions, for the dataset cache key. */
    public String id() {
        return vae.id() + "+" + text.id();
    }

    /**
     * The encoders of a preset. Only {@code tiny}'s exist so far: LTX-2.3's VAE and its Gemma-3
     * text encoder are not implemented, and saying so beats encoding with the wrong ones.
     */
    public static Encoders of(String preset) {
        TransformerConfig config = TransformerConfig.preset(preset);
        if (!config.name().equals("tiny")) {
            throw new UnsupportedOperationException("the " + config.name() + " preset's text encoder (Gemma 3) is not "
                    + "implemented yet (its VAE is: ./fleet vae checks it on a clip); run the fleet with model.preset=tiny");
        }
        return new Encoders(new TinyVae(), new HashedWordEncoder(config.hidden()));
    }
}
