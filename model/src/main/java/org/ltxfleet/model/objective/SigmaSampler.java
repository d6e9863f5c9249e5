package org.ltxfleet.model.objective;

import java.util.SplittableRandom;

/**
 * Noise levels σ ∈ [0, 1] for flow-matching training, drawn as LTX's trainer draws them: a
 * logit-normal whose mean (the shift) grows linearly with the number of video tokens, from 0.95 at
 * 1,024 tokens to 2.05 at 4,096 (longer, larger clips need more noise to be hard), stretched so its
 * 0.5th–99.9th percentiles span [0, 1], reflected away from 0 below {@code 1e-3}, and mixed with a
 * uniform draw 10 % of the time so no σ is starved at high token counts. Constants from
 * ltx-trainer's {@code ShiftedLogitNormalTimestepSampler}. Seeded and deterministic; not thread-safe.
 */
public final class SigmaSampler {

    static final double MIN_TOKENS = 1024;
    static final double MAX_TOKENS = 4096;
    static final double MIN_SHIFT = 0.95;
    static final double MAX_SHIFT = 2.05;
    /** Standard-normal quantiles of 99.9 % and 0.5 %. */
    static final double Q999 = 3.0902;
    static final double Q005 = -2.5758;
    static final double EPS = 1e-3;
    static final double UNIFORM_PROBABILITY = 0.1;

    private final SplittableRandom random;

    /** A sampler with its own seeded stream. */
    public SigmaSampler(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The logit-normal's mean for a sequence of {@code tokens} video tokens. */
    public static double shift(long tokens) {
        double slope = (MAX_SHIFT - MIN_SHIFT) / (MAX_TOKENS - MIN_TOKENS);
        return MIN_SHIFT + slope * (tokens - MIN_TOKENS);
    }

    /** One σ for a sample of {@code tokens} video tokens: draws n, u, p in the official order. */
    public double sample(long tokens) {
        double normal = gaussian();
        double uniform = random.nextDouble();
        double choice = random.nextDouble();
        return sigma(normal, uniform, choice, tokens);
    }

    /**
     * σ from one draw of each of the sampler's variables: {@code normal} ~ N(0, 1) for the
     * logit-normal, {@code uniform} and {@code choice} ~ U[0, 1) for the uniform branch and for picking it.
     */
    public static double sigma(double normal, double uniform, double choice, long tokens) {
        // The trainer compares its float32 draw with 0.1 in float32: a draw of exactly 0.1f is not above it.
        if ((float) choice <= (float) UNIFORM_PROBABILITY) {
            return (1 - EPS) * uniform + EPS;
        }
        double mu = shift(tokens);
        double low = sigmoid(mu + Q005);
        double high = sigmoid(mu + Q999);
        double stretched = (sigmoid(normal + mu) - low) / (high - low);
        if (stretched < EPS) {
            stretched = 2 * EPS - stretched;
        }
        return Math.min(1, Math.max(0, stretched));
    }

    private double gaussian() {
        // Box-Muller on the seeded stream, so runs repeat bit for bit.
        double u1 = 1 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
    }

    private static double sigmoid(double x) {
        return 1 / (1 + StrictMath.exp(-x));
    }
}
