package org.ltxfleet.train;

/** Seconds per step over the steps this process ran, and the time left. */
final class StepClock {

    private final int firstStep;
    private final int totalSteps;
    private final long startNanos = System.nanoTime();
    private int lastStep;

    StepClock(int firstStep, int totalSteps) {
        this.firstStep = firstStep;
        this.totalSteps = totalSteps;
        this.lastStep = firstStep;
    }

    void stepped(int step) {
        lastStep = step;
    }

    Double secondsPerStep() {
        int ran = lastStep - firstStep;
        return ran == 0 ? null : (System.nanoTime() - startNanos) / 1e9 / ran;
    }

    Double etaSeconds() {
        Double perStep = secondsPerStep();
        return perStep == null ? null : perStep * (totalSteps - lastStep);
    }
}
