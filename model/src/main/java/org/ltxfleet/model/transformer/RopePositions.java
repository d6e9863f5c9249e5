package org.ltxfleet.model.transformer;

/**
 * Where each token sits for LTX's 3-D rotary embedding: the midpoint of its span in (time in
 * seconds, height in pixels, width in pixels), as ltx-core computes it for 2.x
 * (docs/ltx-2.3-architecture.md §3). Video tokens come frame-major, then row, then column; the VAE's
 * causal first frame covers one pixel frame and latent frame f ≥ 1 covers pixel frames
 * [8f−7, 8f+1), so their time midpoints are 0.5/fps and (8f−3)/fps. A keyframe token (a one-frame
 * clean latent of pixel frame k) spans [k, k+1): midpoint (k+0.5)/fps, with the newer of the two
 * conventions LTX has used (the same must hold at inference).
 */
public final class RopePositions {

    /** The VAE's compression: 8 pixel frames and 32×32 pixels per latent token. */
    public static final int TEMPORAL_FACTOR = 8;
    public static final int SPATIAL_FACTOR = 32;

    private RopePositions() {
    }

    /** Positions {@code [tokens][3]} of a video latent of {@code frames × height × width} tokens. */
    public static double[][] video(int frames, int height, int width, double fps) {
        double[][] positions = new double[frames * height * width][];
        int i = 0;
        for (int f = 0; f < frames; f++) {
            // Causal fix: shift the span back by temporal factor − 1, clamped at 0.
            double start = Math.max(f * TEMPORAL_FACTOR + 1 - TEMPORAL_FACTOR, 0);
            double end = Math.max((f + 1) * TEMPORAL_FACTOR + 1 - TEMPORAL_FACTOR, 0);
            double time = (start + end) / 2 / fps;
            for (int h = 0; h < height; h++) {
                for (int w = 0; w < width; w++) {
                    positions[i++] = new double[] {time, spatial(h), spatial(w)};
                }
            }
        }
        return positions;
    }

    /** Positions of the {@code height × width} tokens of a keyframe taken at pixel frame {@code frameIndex}. */
    public static double[][] keyframe(int frameIndex, int height, int width, double fps) {
        double time = (frameIndex + 0.5) / fps;
        double[][] positions = new double[height * width][];
        int i = 0;
        for (int h = 0; h < height; h++) {
            for (int w = 0; w < width; w++) {
                positions[i++] = new double[] {time, spatial(h), spatial(w)};
            }
        }
        return positions;
    }

    private static double spatial(int index) {
        return index * SPATIAL_FACTOR + SPATIAL_FACTOR / 2.0;
    }
}
