package org.ltxfleet.model.nn;

import java.util.Locale;

/**
 * How a frozen base keeps its large matrices on the device (linear weights and token embeddings;
 * norms, biases, tables and adapters are always float32).
 */
public enum WeightStorage {
    /** Four bytes a value, exactly as loaded. Trainable bases (the tiny pre-training) need it. */
    FLOAT32,
    /**
     * Two bytes a value: FLOAT16 with a power-of-two scale per output row, cast to float32 where used.
     * Exact for every bf16 weight whose row spans fp16's range (about 33 binades below the row's
     * largest value); {@link StorageReport} counts the values that are not.
     */
    FLOAT16;

    /** The setting's spelling: {@code float32} or {@code float16}. */
    public static WeightStorage parse(String text, String setting) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "float32", "fp32", "f32" -> FLOAT32;
            case "float16", "fp16", "f16" -> FLOAT16;
            default -> throw new IllegalArgumentException(setting + " must be float32 or float16, got '" + text + "'");
        };
    }

    /** Bytes a stored value takes. */
    public int bytes() {
        return this == FLOAT16 ? 2 : 4;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
