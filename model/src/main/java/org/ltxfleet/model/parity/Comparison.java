package org.ltxfleet.model.parity;

/**
 * One tensor of ours beside the official implementation's: the largest absolute difference, that
 * difference relative to the reference's largest magnitude (element-wise ratios explode near zero),
 * and the tolerance the reference's README states.
 */
public record Comparison(String name, double maxAbs, double maxRelative, double tolerance, int elements) {

    /** Compares two tensors of the same length element by element. */
    public static Comparison of(String name, float[] ours, float[] official, double tolerance) {
        double[] a = new double[ours.length];
        double[] b = new double[official.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = ours[i];
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = official[i];
        }
        return of(name, a, b, tolerance);
    }

    /** Compares two lists of numbers of the same length element by element. */
    public static Comparison of(String name, double[] ours, double[] official, double tolerance) {
        if (ours.length != official.length) {
            throw new IllegalArgumentException(name + ": " + ours.length + " values against the reference's "
                    + official.length);
        }
        double maxAbs = 0;
        double scale = 0;
        for (int i = 0; i < ours.length; i++) {
            double d = Math.abs(ours[i] - official[i]);
            // NaN compares false: a NaN anywhere makes the difference NaN, which never passes.
            maxAbs = d > maxAbs || Double.isNaN(d) ? d : maxAbs;
            scale = Math.max(scale, Math.abs(official[i]));
        }
        return new Comparison(name, maxAbs, scale == 0 ? maxAbs : maxAbs / scale, tolerance, ours.length);
    }

    /** Within the tolerance (a NaN never is). */
    public boolean passed() {
        return maxAbs <= tolerance;
    }

    @Override
    public String toString() {
        return String.format("%-44s max |diff| %.3g  relative %.3g  tolerance %.0e  %s", name, maxAbs, maxRelative,
                tolerance, passed() ? "ok" : "FAIL");
    }
}
