package org.ltxfleet.model.latent;

/** A prompt's encoded features {@code [tokens][width]}. */
public record TextFeatures(int tokens, int width, float[] data) {

    public TextFeatures {
        if (data.length != tokens * width) {
            throw new IllegalArgumentException("text features hold " + data.length + " values, expected " + tokens * width);
        }
    }
}
