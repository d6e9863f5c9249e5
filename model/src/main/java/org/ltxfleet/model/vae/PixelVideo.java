package org.ltxfleet.model.vae;

/** Frames of RGB24 pixels ({@code height × width × 3} bytes each), as decoders and encoders exchange them. */
public record PixelVideo(int height, int width, byte[][] frames) {

    public PixelVideo {
        for (int i = 0; i < frames.length; i++) {
            if (frames[i].length != height * width * 3) {
                throw new IllegalArgumentException("frame " + i + " holds " + frames[i].length + " bytes, "
                        + width + "×" + height + " RGB needs " + height * width * 3);
            }
        }
    }

    public int frameCount() {
        return frames.length;
    }
}
