package org.ltxfleet.model.vae;

/** Peak signal-to-noise ratio between two videos of the same size, over all frames (8-bit peak). */
public final class Psnr {

    private Psnr() {
    }

    public static double of(PixelVideo reference, PixelVideo test) {
        if (reference.frameCount() != test.frameCount() || reference.height() != test.height()
                || reference.width() != test.width()) {
            throw new IllegalArgumentException("PSNR needs videos of the same size and length");
        }
        double squared = 0;
        long count = 0;
        for (int f = 0; f < reference.frameCount(); f++) {
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
}
