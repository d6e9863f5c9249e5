package org.ltxfleet.model.text;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;
import org.ltxfleet.model.latent.TextFeatures;

/**
 * The {@code tiny} preset's text encoder: no language model and no downloaded weights. Each word
 * (lower-cased letters and digits) maps to a fixed pseudo-random unit-scale vector seeded by its
 * FNV-1a hash, plus a small position signal; the prompt becomes up to {@link #MAX_TOKENS} such rows
 * and zero rows after them. It tells prompts apart and lets a trigger phrase be learned, nothing more:
 * the real preset uses LTX's Gemma-3 encoder.
 */
public final class HashedWordEncoder implements TextEncoder {

    public static final int MAX_TOKENS = 32;

    private final int width;

    public HashedWordEncoder(int width) {
        this.width = width;
    }

    @Override
    public String id() {
        return "hashed-words-v1-" + width;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public TextFeatures encode(String prompt) {
        float[] data = new float[MAX_TOKENS * width];
        String[] words = prompt.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{Nd}]+");
        int token = 0;
        for (String word : words) {
            if (word.isEmpty() || token == MAX_TOKENS) {
                continue;
            }
            var random = new SplittableRandom(fnv1a(word));
            for (int i = 0; i < width; i++) {
                double unitUniform = (random.nextDouble() * 2 - 1) * Math.sqrt(3);
                double position = 0.1 * StrictMath.sin(token / StrictMath.pow(100, (double) i / width));
                data[token * width + i] = (float) (unitUniform + position);
            }
            token++;
        }
        return new TextFeatures(MAX_TOKENS, width, data);
    }

    private static long fnv1a(String word) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xFF;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
