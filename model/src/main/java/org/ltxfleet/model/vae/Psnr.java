package org.ltxfleet.model.vae;

/** Peak signal-to-noise ratio between two videos of the same size (8-bit peak). */
public final class Psnr {

    private Psnr() {
    }

    /** Over all frames. */
    public static double of(PixelVideo reference, PixelVideo test) {
        return of(reference, test, 0, reference.frameCount());
    }

    /** Over frames {@code from} (inclusive) to {@code to} (exclusive). */
    public static double of(PixelVideo reference, PixelVideo test, int from, int to) {
        if (reference.frameCount() != test.frameCount() || reference.height() != test.height()
                || reference.width() != test.width()) {
            throw new IllegalArgumentException("PSNR needs videos of the same size and length");
        }
        if (from < 0 || to > reference.frameCount() || from >= to) {
            throw new IllegalArgumentException("no frames in [" + from + ", " + to + ") of a "
                    + reference.frameCount() + "-frame video");
        }
        double squared = 0;
        long count = 0;
        for (int f = from; f < to; f++) {
            byte[] a = reference.frames()[f];
            byte[] b = test.frames()[f];
            for (int i = 0; i < a.length; i++) {
                int d = (a[i] & 0xFF) - (b[i] & 0xFF);
                squared += d * d;
            }
            count += a.length;
        }
        double mse = squared / count;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }

    /** Over the frames between the first and the last: what interpolation has to make. */
    public static double inBetween(PixelVideo reference, PixelVideo test) {
        if (reference.frameCount() < 3) {
            throw new IllegalArgumentException("a " + reference.frameCount() + "-frame video has no in-between frames");
        }
        return of(reference, test, 1, reference.frameCount() - 1);
    }
}
