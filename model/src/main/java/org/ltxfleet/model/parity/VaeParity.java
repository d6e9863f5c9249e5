package org.ltxfleet.model.parity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.ltxfleet.model.latent.Latent;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.vae.ltx.LtxVae;

/**
 * Our LTX video VAE against reference tensors laid out as {@code golden/ltx23/vae} (its README: the
 * real 2.3 block layout with 4 latent channels, config in the weights' metadata; a clip and its
 * first frame encoded, the official latents decoded).
 */
public final class VaeParity {

    /** The README's float32 tolerance on latents and decoded pixels. */
    private static final double TOLERANCE = 1e-4;

    private VaeParity() {
    }

    /** Every comparison the folder's tensors allow. */
    public static List<Comparison> run(Path folder) throws IOException {
        try (var golden = SafetensorsReader.open(folder.resolve("golden.safetensors"));
             LtxVae vae = LtxVae.load(List.of(folder.resolve("weights.safetensors")))) {
            long[] shape = golden.info("inputs.video").shape(); // (1, 3, F, H, W)
            int frames = (int) shape[2];
            int height = (int) shape[3];
            int width = (int) shape[4];
            float[] video = golden.readFloats("inputs.video");
            Latent clip = vae.encode(video, frames, height, width);
            Latent frame0 = vae.encode(firstFrame(video, frames, height * width), 1, height, width);
            return List.of(
                    // The raw means first: a wrong network shows there, wrong statistics only in the normalised latent.
                    Comparison.of("clip latent means (before normalisation)", unnormalised(clip, folder),
                            golden.readFloats("out.latent_unnormalized_means"), TOLERANCE),
                    Comparison.of("clip latent", clip.data(), golden.readFloats("out.latent"), TOLERANCE),
                    // Decoded from the official latents, so the decoder is judged on its own.
                    Comparison.of("clip decoded", vae.decodeToPlanar(latentOf(golden, "out.latent")),
                            golden.readFloats("out.decoded"), TOLERANCE),
                    Comparison.of("frame-0 latent", frame0.data(), golden.readFloats("out.latent_frame0"), TOLERANCE),
                    Comparison.of("frame-0 decoded", vae.decodeToPlanar(latentOf(golden, "out.latent_frame0")),
                            golden.readFloats("out.decoded_frame0"), TOLERANCE));
        }
    }

    /** Frame 0 of every channel: planar (3, F, H, W) → (3, 1, H, W). */
    private static float[] firstFrame(float[] video, int frames, int plane) {
        float[] frame = new float[3 * plane];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(video, c * frames * plane, frame, c * plane, plane);
        }
        return frame;
    }

    private static Latent latentOf(SafetensorsReader golden, String name) throws IOException {
        long[] s = golden.info(name).shape(); // (1, C, F, h, w)
        return new Latent((int) s[1], (int) s[2], (int) s[3], (int) s[4], golden.readFloats(name));
    }

    /** A normalised latent mapped back with the checkpoint's statistics: x·std + mean per channel. */
    private static float[] unnormalised(Latent latent, Path folder) throws IOException {
        float[] mean;
        float[] std;
        try (var weights = SafetensorsReader.open(folder.resolve("weights.safetensors"))) {
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
