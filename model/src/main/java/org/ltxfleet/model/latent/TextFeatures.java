package org.ltxfleet.model.latent;

import java.util.Arrays;

/**
 * A prompt's encoded features {@code [tokens][width]} and which tokens the transformer attends to
 * ({@code mask[t]}: true = attend). LTX-2.3's connector fills every pad with its registers, so its
 * features are all valid; features imported from elsewhere may carry padding.
 */
public record TextFeatures(int tokens, int width, float[] data, boolean[] mask) {

    public TextFeatures {
        if (data.length != tokens * width) {
            throw new IllegalArgumentException("text features hold " + data.length + " values, expected " + tokens * width);
        }
        if (mask.length != tokens) {
            throw new IllegalArgumentException("the text mask has " + mask.length + " entries for " + tokens + " tokens");
        }
    }

    /** Features every token of which is attended to. */
    public TextFeatures(int tokens, int width, float[] data) {
        this(tokens, width, data, allValid(tokens));
    }

    public static boolean[] allValid(int tokens) {
        boolean[] mask = new boolean[tokens];
        Arrays.fill(mask, true);
        return mask;
    }

    public int validTokens() {
        int count = 0;
        for (boolean valid : mask) {
            count += valid ? 1 : 0;
        }
        return count;
    }

    /**
     * Only the attended tokens, in order. Cross-attention has no positions on the text side and the
     * official mask adds −max to the hidden keys (their softmax weight is exactly 0), so attending to
     * these equals attending to all with the mask.
     */
    public TextFeatures attended() {
        int valid = validTokens();
        if (valid == tokens) {
            return this;
        }
        if (valid == 0) {
            throw new IllegalStateException("text features with every token masked");
        }
        float[] kept = new float[valid * width];
        int row = 0;
        for (int t = 0; t < tokens; t++) {
            if (mask[t]) {
                System.arraycopy(data, t * width, kept, row++ * width, width);
            }
        }
        return new TextFeatures(valid, width, kept);
    }
}
