package org.ltxfleet.model.nn;

import java.nio.ShortBuffer;

/**
 * Rows of float32 values as FLOAT16 with one power-of-two scale per row: the row is multiplied by
 * 2^k so that its largest magnitude lands in fp16's top binade (at most 65,504), rounded to fp16,
 * and multiplied back by 2^−k where used. Powers of two scale exactly, so a bf16 value (8
 * significant bits) survives whenever it lies within about 33 binades of its row's largest value.
 */
final class HalfRows {

    /** fp16's largest finite value. */
    private static final float HALF_MAX = 65504f;
    private static final int HALF_TOP_EXPONENT = 15;
    /** Keeps 2^k and 2^−k normal float32 numbers. */
    private static final int MAX_SHIFT = 126;

    private HalfRows() {
    }

    /**
     * Writes {@code row[from, from + length)} scaled into {@code out} and returns the factor
     * (2^−k) that restores it; counts inexact and non-finite values in {@code report}.
     */
    static float encode(float[] row, int from, int length, ShortBuffer out, StorageReport report, String tensor) {
        float largest = 0;
        for (int i = from; i < from + length; i++) {
            float magnitude = Math.abs(row[i]);
            if (Float.isFinite(magnitude) && magnitude > largest) {
                largest = magnitude;
            }
        }
        int shift = 0;
        if (largest > 0) {
            shift = HALF_TOP_EXPONENT - Math.getExponent(largest);
            if (Math.scalb(largest, shift) > HALF_MAX) {
                shift--;
            }
            shift = Math.max(-MAX_SHIFT, Math.min(MAX_SHIFT, shift));
        }
        float up = Math.scalb(1f, shift);
        float down = Math.scalb(1f, -shift);
        for (int i = from; i < from + length; i++) {
            float value = row[i];
            short half = Float.floatToFloat16(value * up);
            out.put(half);
            if (!Float.isFinite(value)) {
                report.nonFinite();
                continue;
            }
            float restored = Float.float16ToFloat(half) * down;
            if (restored != value) {
                report.inexact(tensor, restored, value);
            }
        }
        return down;
    }
}
