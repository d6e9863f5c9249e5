package org.ltxfleet.model.nn;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;

/**
 * Seeded standard-normal values, drawn in Java so runs repeat bit for bit whatever the engine.
 * StrictMath, not Math: Math's transcendental functions may give different last bits once the JIT
 * swaps in intrinsics, which made two runs of the same seeded training drift apart.
 */
public final class Noise {

    private Noise() {
    }

    public static float[] gaussian(long seed, int count) {
        float[] values = new float[count];
        fill(seed, FloatBuffer.wrap(values), 1);
        return values;
    }

    /** Fills the rest of {@code target} with N(0, std²) values of the stream seeded by {@code seed}. */
    public static void fill(long seed, FloatBuffer target, double std) {
        var random = new SplittableRandom(seed);
        while (target.hasRemaining()) {
            double u1 = 1 - random.nextDouble();
            double u2 = random.nextDouble();
            double radius = Math.sqrt(-2 * StrictMath.log(u1)) * std;
            target.put((float) (radius * StrictMath.cos(2 * Math.PI * u2)));
            if (target.hasRemaining()) {
                target.put((float) (radius * StrictMath.sin(2 * Math.PI * u2)));
            }
        }
    }

    /**
     * The values {@link #fill} gives for one {@code target} of the whole tensor, handed out a chunk at
     * a time: a pair's second value carries over to the next chunk, so chunking never changes them.
     */
    public static ValueStream stream(long seed, double std) {
        var random = new SplittableRandom(seed);
        float[] pending = {0};
        boolean[] hasPending = {false};
        return (target, count) -> {
            int i = 0;
            if (hasPending[0] && count > 0) {
                target[i++] = pending[0];
                hasPending[0] = false;
            }
            while (i < count) {
                double u1 = 1 - random.nextDouble();
                double u2 = random.nextDouble();
                double radius = Math.sqrt(-2 * StrictMath.log(u1)) * std;
                target[i++] = (float) (radius * StrictMath.cos(2 * Math.PI * u2));
                float second = (float) (radius * StrictMath.sin(2 * Math.PI * u2));
                if (i < count) {
                    target[i++] = second;
                } else {
                    pending[0] = second;
                    hasPending[0] = true;
                }
            }
        };
    }
}
