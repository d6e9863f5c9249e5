package org.ltxfleet.model.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.ltxfleet.model.golden.TransformerGoldenTest.assertClose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ltxfleet.model.latent.Latent;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.vae.ltx.LtxVae;
import org.ltxfleet.model.vae.ltx.VaeConfig;

/**
 * Our LTX video VAE against the official LTX-2.3 one at tiny widths
 * ({@code ../shared/golden/ltx23/vae}, its README gives the cases and tolerances): the real block
 * layout with 4 latent channels, built from the config in the weights' metadata.
 */
class VaeGoldenTest {

    static final Path DIR = Path.of(System.getProperty("golden.dir", "../../shared/golden"), "ltx23", "vae");
    /** The README's float32 tolerance on latents and decoded pixels. */
    static final double TOLERANCE = 1e-4;

    @Test
    void configIsTheRealLayoutAtTinyWidths() throws IOException {
        assumeTrue(Files.isDirectory(DIR), "no golden data at " + DIR);
        try (LtxVae vae = load()) {
            VaeConfig real = VaeConfig.ltx23();
            assertThat(vae.config().encoderBlocks()).isEqualTo(real.encoderBlocks());
            assertThat(vae.config().decoderBlocks()).isEqualTo(real.decoderBlocks());
            assertThat(vae.config().latentChannels()).isEqualTo(4);
            assertThat(vae.config().decoderBottleneckChannels()).isEqualTo(32);
            assertThat(vae.parameterCount()).isEqualTo(317_843L + 403_440L + 2 * 4);
        }
    }

    @Test
    void clipEncodesAndDecodes() throws IOException {
        assumeTrue(Files.isDirectory(DIR), "no golden data at " + DIR);
        try (var golden = SafetensorsReader.open(DIR.resolve("golden.safetensors")); LtxVae vae = load()) {
            long[] shape = golden.info("inputs.video").shape(); // (1, 3, F, H, W)
            Latent latent = vae.encode(golden.readFloats("inputs.video"), (int) shape[2], (int) shape[3], (int) shape[4]);
            assertThat(latent.frames()).isEqualTo(3);
            // The raw means first: a wrong network shows here, wrong statistics only in the normalised latent.
            assertClose("clip latent means (before normalisation)", unnormalised(latent),
                    golden.readFloats("out.latent_unnormalized_means"), TOLERANCE);
            assertClose("clip latent", latent.data(), golden.readFloats("out.latent"), TOLERANCE);

            // Decoded from the official latent, so the decoder is judged on its own.
            Latent official = latentOf(golden, "out.latent");
            assertClose("clip decoded", vae.decodeToPlanar(official), golden.readFloats("out.decoded"), TOLERANCE);
        }
    }

    @Test
    void singleFrameEncodesAndDecodes() throws IOException {
        assumeTrue(Files.isDirectory(DIR), "no golden data at " + DIR);
        try (var golden = SafetensorsReader.open(DIR.resolve("golden.safetensors")); LtxVae vae = load()) {
            long[] shape = golden.info("inputs.video").shape();
            int height = (int) shape[3];
            int width = (int) shape[4];
            // Frame 0 of every channel: planar (3, F, H, W) → (3, 1, H, W).
            float[] video = golden.readFloats("inputs.video");
            int plane = height * width;
            float[] frame0 = new float[3 * plane];
            for (int c = 0; c < 3; c++) {
                System.arraycopy(video, c * (int) shape[2] * plane, frame0, c * plane, plane);
            }
            Latent latent = vae.encode(frame0, 1, height, width);
            assertThat(latent.frames()).isEqualTo(1);
            assertClose("frame-0 latent", latent.data(), golden.readFloats("out.latent_frame0"), TOLERANCE);

            Latent official = latentOf(golden, "out.latent_frame0");
            assertClose("frame-0 decoded", vae.decodeToPlanar(official), golden.readFloats("out.decoded_frame0"),
                    TOLERANCE);
        }
    }

    private static LtxVae load() throws IOException {
        return LtxVae.load(List.of(DIR.resolve("weights.safetensors")));
    }

    private static Latent latentOf(SafetensorsReader golden, String name) throws IOException {
        long[] s = golden.info(name).shape(); // (1, C, F, h, w)
        return new Latent((int) s[1], (int) s[2], (int) s[3], (int) s[4], golden.readFloats(name));
    }

    /** Our normalised latent mapped back with the checkpoint's statistics: x·std + mean per channel. */
    private static float[] unnormalised(Latent latent) throws IOException {
        float[] mean;
        float[] std;
        try (var weights = SafetensorsReader.open(DIR.resolve("weights.safetensors"))) {
            mean = weights.readFloats("vae.per_channel_statistics.mean-of-means");
            std = weights.readFloats("vae.per_channel_statistics.std-of-means");
        }
        float[] out = Arrays.copyOf(latent.data(), latent.data().length);
        int perChannel = out.length / latent.channels();
        for (int i = 0; i < out.length; i++) {
            int c = i / perChannel;
            out[i] = out[i] * std[c] + mean[c];
        }
        return out;
    }
}
