package org.ltxfleet.model.sampling;

/**
 * LTX-2's sampling schedule ({@code LTX2Scheduler}): σ evenly spaced from 1 to 0, pushed towards
 * 1 by a shift that grows with the token count (the same line the training sampler uses, 0.95 at
 * 1,024 tokens to 2.05 at 4,096), then stretched so the last non-zero σ is 0.1.
 */
public final class SigmaSchedule {

    static final double TERMINAL = 0.1;
    /** The token count {@code LTX2Scheduler} assumes when it is given no latent, as every official pipeline calls it. */
    public static final long PIPELINE_TOKENS = 4096;

    private SigmaSchedule() {
    }

    /** The schedule the official pipelines sample with: the same for every clip size. */
    public static double[] of(int steps) {
        return of(steps, PIPELINE_TOKENS);
    }

    /** {@code steps + 1} values from 1 down to 0, shifted for {@code tokens} latent tokens. */
    public static double[] of(int steps, long tokens) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        double shift = StrictMath.exp(0.95 + (tokens - 1024) * 1.1 / 3072);
        double[] sigmas = new double[steps + 1];
        for (int i = 0; i <= steps; i++) {
            double linear = 1 - (double) i / steps;
            sigmas[i] = linear == 0 ? 0 : shift / (shift + 1 / linear - 1);
        }
        if (steps > 1) {
            double last = sigmas[steps - 1];
            for (int i = 0; i < steps; i++) {
                sigmas[i] = Math.min(1, 1 - (1 - sigmas[i]) * (1 - TERMINAL) / (1 - last));
            }
        }
        return sigmas;
    }
}
