package org.ltxfleet.model.latent;

/**
 * A normalised VAE latent {@code [channels][frames][height][width]} (row-major in that order).
 * A keyframe is a latent of one frame.
 */
public record Latent(int channels, int frames, int height, int width, float[] data) {

    public Latent {
        long expected = (long) channels * frames * height * width;
        if (data.length != expected) {
            throw new IllegalArgumentException("latent data holds " + data.length + " values, shape "
                    + channels + "×" + frames + "×" + height + "×" + width + " needs " + expected);
        }
    }

    /** Tokens of this latent: frames × height × width. */
    public int tokens() {
        return frames * height * width;
    }

    /** The tokens as rows {@code [frames·height·width][channels]}: LTX's patchify with patch size 1. */
    public float[] tokenRows() {
        int tokens = tokens();
        float[] rows = new float[tokens * channels];
        for (int c = 0; c < channels; c++) {
            int from = c * tokens;
            for (int t = 0; t < tokens; t++) {
                rows[t * channels + c] = data[from + t];
            }
        }
        return rows;
    }

    /** The inverse of {@link #tokenRows}. */
    public static Latent fromTokenRows(float[] rows, int channels, int frames, int height, int width) {
        int tokens = frames * height * width;
        float[] data = new float[rows.length];
        for (int t = 0; t < tokens; t++) {
            for (int c = 0; c < channels; c++) {
                data[c * tokens + t] = rows[t * channels + c];
            }
        }
        return new Latent(channels, frames, height, width, data);
    }
}
