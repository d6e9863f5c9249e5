package org.ltxfleet.model.training;

/**
 * Linear warm-up over the first 5 % of steps (at least one), then linear decay to 10 % of the
 * peak at the last step: LTX's trainer uses a linear schedule; the warm-up keeps the first
 * AdamW steps (with tiny second moments) from overshooting.
 */
public record LearningRateSchedule(double peak, int totalSteps) {

    public int warmupSteps() {
        return Math.max(1, totalSteps / 20);
    }

    /** The rate for 1-based step {@code step}. */
    public double at(int step) {
        int warmup = warmupSteps();
        if (step <= warmup) {
            return peak * step / warmup;
        }
        double progress = (step - warmup) / (double) Math.max(1, totalSteps - warmup);
        return peak * (1 - 0.9 * Math.min(1, progress));
    }
}
