package org.ltxfleet.model.text.gemma;

/**
 * One RoPE base: {@code theta} and the linear scaling factor that divides the inverse frequencies
 * (1 for none; Gemma-3's global layers use 8).
 */
public record RopeSpec(double theta, double linearFactor) {

    public RopeSpec {
        if (theta <= 1 || linearFactor <= 0) {
            throw new IllegalArgumentException("bad RoPE base " + theta + " / factor " + linearFactor);
        }
    }

    /** Unscaled RoPE. */
    public static RopeSpec plain(double theta) {
        return new RopeSpec(theta, 1);
    }
}
