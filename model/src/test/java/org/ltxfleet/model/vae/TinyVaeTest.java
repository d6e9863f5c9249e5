package org.ltxfleet.model.vae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.ltxfleet.model.base.PatternClips;
import org.ltxfleet.model.latent.Latent;

class TinyVaeTest {

    private final TinyVae vae = new TinyVae();

    @Test
    void hasLtxGeometry() {
        PixelVideo clip = PatternClips.clip(1, 0, 33, 64, 96).video();
        Latent latent = vae.encode(clip);
        assertThat(latent.channels()).isEqualTo(128);
        assertThat(latent.frames()).isEqualTo(5);
        assertThat(latent.height()).isEqualTo(2);
        assertThat(latent.width()).isEqualTo(3);
        PixelVideo back = vae.decode(latent);
        assertThat(back.frameCount()).isEqualTo(33);
        assertThat(back.height()).isEqualTo(64);
        assertThat(back.width()).isEqualTo(96);
        Latent still = vae.encode(new PixelVideo(64, 96, new byte[][] {clip.frames()[0]}));
        assertThat(still.frames()).isEqualTo(1);
    }

    @Test
    void roundTripKeepsFramesRecognisable() {
        PixelVideo clip = PatternClips.clip(1, 3, 17, 256, 256).video();
        double psnr = Psnr.of(clip, vae.decode(vae.encode(clip)));
        System.out.printf("tiny VAE round trip on a pattern clip: %.1f dB%n", psnr);
        assertThat(psnr).isGreaterThan(22);
    }

    @Test
    void latentsAreRoughlyUnitScale() {
        Latent latent = vae.encode(PatternClips.clip(1, 5, 9, 128, 128).video());
        double sum = 0;
        for (float v : latent.data()) {
            sum += v * v;
        }
        assertThat(Math.sqrt(sum / latent.data().length)).isBetween(0.3, 3.0);
    }

    @Test
    void refusesFrameCountsOffTheGrid() {
        PixelVideo clip = PatternClips.clip(1, 0, 10, 64, 64).video();
        assertThatThrownBy(() -> vae.encode(clip)).hasMessageContaining("1 + 8k frames");
    }
}
