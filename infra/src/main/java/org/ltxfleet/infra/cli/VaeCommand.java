package org.ltxfleet.infra.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.ltxfleet.common.job.Bucket;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.model.latent.Latent;
import org.ltxfleet.model.vae.PixelVideo;
import org.ltxfleet.model.vae.Psnr;
import org.ltxfleet.model.vae.VideoVae;
import org.ltxfleet.model.vae.ltx.LtxVae;
import org.ltxfleet.preprocess.video.ClipDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./fleet vae}: LTX's VAE from a real checkpoint, round-tripping a clip. The check a user
 * with Lightricks' weights runs once: a correct implementation gives a sharp picture (LTX-2's VAE
 * round-trips at roughly 30 dB and more), a wrong channel order gives noise.
 */
@Command(name = "vae", mixinStandardHelpOptions = true,
        description = "Encode and decode the first frames of a clip with LTX's VAE loaded from a checkpoint "
                + "(the ltx-2.3 .safetensors, one file or shards); prints PSNR and times as JSON and writes "
                + "the middle frame before/after as a PNG.")
final class VaeCommand implements Callable<Integer> {

    @Option(names = "--weights", required = true, split = ",",
            description = "checkpoint file(s) holding vae.* tensors (comma-separated shards)")
    List<Path> weights;

    @Option(names = "--clip", required = true, description = "a video file")
    Path clip;

    @Option(names = "--frames", description = "frames to round-trip, 1 + 8k (default: ${DEFAULT-VALUE})")
    int frames = 17;

    @Option(names = "--size", description = "square size in pixels, a multiple of 32 (default: ${DEFAULT-VALUE})")
    int size = 256;

    @Option(names = "--out", description = "where the comparison PNG goes (default: ${DEFAULT-VALUE})")
    Path out = Path.of("vae-roundtrip.png");

    @Override
    public Integer call() throws Exception {
        if (frames < 1 || (frames - 1) % VideoVae.TEMPORAL_FACTOR != 0) {
            throw new IllegalArgumentException("--frames must be 1 + 8k (1, 9, 17, 25, …), got " + frames);
        }
        if (size <= 0 || size % VideoVae.SPATIAL_FACTOR != 0) {
            throw new IllegalArgumentException("--size must be a positive multiple of 32, got " + size);
        }
        for (Path file : weights) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("--weights names " + file + ", which is not a file");
            }
        }
        PixelVideo video = firstFrames();
        long start = System.nanoTime();
        try (LtxVae vae = LtxVae.load(weights)) {
            double load = seconds(start);
            Console.step(String.format("%s loaded: %,d parameters in %.1f s", vae.config().name(), vae.parameterCount(), load));
            start = System.nanoTime();
            Latent latent = vae.encode(video);
            double encode = seconds(start);
            start = System.nanoTime();
            PixelVideo decoded = vae.decode(latent);
            double decode = seconds(start);
            writeComparison(video, decoded);
            var result = new LinkedHashMap<String, Object>();
            result.put("vae", vae.id());
            result.put("clip", clip.getFileName().toString());
            result.put("frames", frames);
            result.put("size", size);
            result.put("latent_shape", List.of(latent.channels(), latent.frames(), latent.height(), latent.width()));
            result.put("roundtrip_psnr_db", Math.round(Psnr.of(video, decoded) * 100) / 100.0);
            result.put("load_s", round(load));
            result.put("encode_s", round(encode));
            result.put("decode_s", round(decode));
            result.put("comparison_png", out.toString());
            System.out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(result));
        }
        return 0;
    }

    private PixelVideo firstFrames() throws Exception {
        var collected = new ArrayList<byte[]>();
        ClipDecoder.decode(clip, 24, new Bucket(size, size), f -> {
            if (collected.size() < frames) {
                collected.add(f.rgb());
            }
        });
        if (collected.size() < frames) {
            throw new IllegalArgumentException(clip + " has " + collected.size() + " frames at 24 fps, fewer than --frames "
                    + frames);
        }
        return new PixelVideo(size, size, collected.toArray(byte[][]::new));
    }

    /** The middle frame, original on the left and round-tripped on the right. */
    private void writeComparison(PixelVideo original, PixelVideo decoded) throws Exception {
        int middle = original.frameCount() / 2;
        var image = new BufferedImage(2 * size, size, BufferedImage.TYPE_INT_RGB);
        paint(image, original.frames()[middle], 0);
        paint(image, decoded.frames()[middle], size);
        ImageIO.write(image, "png", out.toFile());
    }

    private void paint(BufferedImage image, byte[] rgb, int left) {
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int i = (y * size + x) * 3;
                image.setRGB(left + x, y, (rgb[i] & 0xFF) << 16 | (rgb[i + 1] & 0xFF) << 8 | (rgb[i + 2] & 0xFF));
            }
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
