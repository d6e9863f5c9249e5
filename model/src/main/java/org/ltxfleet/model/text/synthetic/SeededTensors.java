package org.ltxfleet.model.text.synthetic;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded uniform weights that keep activations near unit size: each tensor draws from its own stream
 * seeded by (seed, name), so adding or dropping a tensor changes no other and a file repeats bit for bit.
 *
 * @param normCenter where norm weights sit: 0 for Gemma (its norms scale by 1 + w), 1 for LTX's
 */
record SeededTensors(long seed, float normCenter) {

    /** Values for tensor {@code name} of {@code shape}. */
    float[] values(String name, long[] shape) {
        int size = Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact));
        var random = new SplittableRandom(seed ^ name.hashCode() * 0x9E3779B97F4A7C15L);
        float center = 0;
        double bound;
        if (name.endsWith("norm.weight")) {
            center = normCenter;
            bound = 0.1;
        } else if (name.endsWith(".bias")) {
            bound = 0.05;
        } else if (name.endsWith("learnable_registers")) {
            bound = 1; // ltx-core's init: rand · 2 − 1
        } else {
            bound = Math.sqrt(3.0 / shape[shape.length - 1]); // variance 1 / fan-in
        }
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = center + (float) ((2 * random.nextDouble() - 1) * bound);
        }
        return values;
    }
}
