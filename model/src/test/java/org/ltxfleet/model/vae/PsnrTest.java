package org.ltxfleet.model.vae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PsnrTest {

    @Test
    void inBetweenLeavesOutTheFirstAndLastFrames() {
        PixelVideo truth = video(10, 10, 10, 10);
        PixelVideo test = video(0, 10, 11, 200);
        // Frames 1 and 2 only: squared errors 0 and 1 over equal counts, so an MSE of 0.5.
        assertThat(Psnr.inBetween(truth, test)).isCloseTo(10 * Math.log10(255.0 * 255.0 / 0.5), within(1e-9));
        assertThat(Psnr.of(truth, test)).isLessThan(Psnr.inBetween(truth, test));
        assertThat(Psnr.of(truth, test, 1, 2)).isInfinite();
    }

    @Test
    void aRangeWithoutFramesIsRefused() {
        PixelVideo two = video(1, 2);
        assertThatThrownBy(() -> Psnr.inBetween(two, two)).hasMessageContaining("no in-between frames");
        assertThatThrownBy(() -> Psnr.of(two, two, 1, 1)).hasMessageContaining("no frames in [1, 1)");
    }

    /** Frames of 2×2 pixels, every byte of frame f set to {@code values[f]}. */
    private static PixelVideo video(int... values) {
        byte[][] frames = new byte[values.length][];
        for (int f = 0; f < values.length; f++) {
            frames[f] = new byte[2 * 2 * 3];
            java.util.Arrays.fill(frames[f], (byte) values[f]);
        }
        return new PixelVideo(2, 2, frames);
    }
}
