package org.ltxfleet.model.vae.ltx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ltxfleet.model.latent.Latent;
import org.ltxfleet.model.nn.CheckpointLoader;
import org.ltxfleet.model.nn.CheckpointNames;
import org.ltxfleet.model.nn.GradMode;
import org.ltxfleet.model.nn.Module;
import org.ltxfleet.model.nn.Tensors;
import org.ltxfleet.model.safetensors.CheckpointConfig;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.vae.PixelVideo;
import org.ltxfleet.model.vae.VideoVae;

/**
 * LTX's causal video VAE (LTX-2.3 by default) with weights loaded by their checkpoint names
 * ({@code vae.encoder.…}, {@code vae.decoder.…}, {@code vae.per_channel_statistics.…}, or bare in a
 * split VAE file). Float32 on the CPU engine; safe to call from several threads (each call works
 * in its own tensor scope, the weights are only read).
 */
public final class LtxVae implements VideoVae, AutoCloseable {

    /** Where the single-file LTX checkpoint keeps the VAE. */
    public static final String CHECKPOINT_PREFIX = "vae.";

    private final VaeConfig config;
    private final Tree tree;
    private final NDManager manager;
    private final String id;

    private LtxVae(VaeConfig config, String id) {
        this.config = config;
        this.tree = new Tree(config);
        this.manager = NDManager.newBaseManager();
        this.id = id;
    }

    /**
     * Loads the VAE from checkpoint shards, its architecture read from the checkpoint's
     * {@code config} metadata where present (LTX-2.3's otherwise).
     */
    public static LtxVae load(List<Path> shards) throws IOException {
        return load(configOf(shards), shards);
    }

    /** Loads a VAE of {@code config} from checkpoint shards. */
    public static LtxVae load(VaeConfig config, List<Path> shards) throws IOException {
        refuseTimestepConditioning(shards);
        var vae = new LtxVae(config, config.name() + ":" + fingerprint(shards));
        try {
            CheckpointLoader.load(vae.tree.parameters(), shards, List.of(CHECKPOINT_PREFIX), config.name(), vae.manager);
            return vae;
        } catch (IOException | RuntimeException e) {
            vae.close();
            throw e;
        }
    }

    /** Every parameter's checkpoint name (without {@code vae.}) and shape; nothing is allocated. */
    public static Map<String, Shape> parameterShapes(VaeConfig config) {
        var shapes = new LinkedHashMap<String, Shape>();
        new Tree(config).parameters().forEach((name, p) -> shapes.put(name, p.getShape()));
        return shapes;
    }

    public VaeConfig config() {
        return config;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int latentChannels() {
        return config.latentChannels();
    }

    @Override
    public Latent encode(PixelVideo video) {
        return encode(planar(video), video.frameCount(), video.height(), video.width());
    }

    /**
     * Planar pixels (3, F, H, W) in [−1, 1] → the normalised latent: {@link #encode(PixelVideo)}
     * without the 8-bit rounding of its input.
     */
    public Latent encode(float[] planar, int frames, int height, int width) {
        int latentFrames = VideoVae.latentFrames(frames);
        if (height % SPATIAL_FACTOR != 0 || width % SPATIAL_FACTOR != 0) {
            throw new IllegalArgumentException("the VAE takes sizes in multiples of " + SPATIAL_FACTOR + ", got "
                    + width + "×" + height);
        }
        try (NDManager scope = manager.newSubManager(); GradMode off = GradMode.off()) {
            NDArray pixels = Tensors.create(scope, planar, new Shape(1, 3, frames, height, width));
            NDArray latent = tree.statistics.normalize(tree.encoder.forward(pixels));
            return new Latent(config.latentChannels(), latentFrames, height / SPATIAL_FACTOR, width / SPATIAL_FACTOR,
                    latent.toFloatArray());
        }
    }

    @Override
    public PixelVideo decode(Latent latent) {
        float[] values = decodeToPlanar(latent);
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.clamp(values[i], -1f, 1f);
        }
        return interleaved(values, VideoVae.pixelFrames(latent.frames()), latent.height() * SPATIAL_FACTOR,
                latent.width() * SPATIAL_FACTOR);
    }

    /**
     * The decoder's own output, planar (3, F, H, W): nominally [−1, 1] but not clamped
     * ({@link #decode} clamps and rounds to 8 bits).
     */
    public float[] decodeToPlanar(Latent latent) {
        if (latent.channels() != config.latentChannels()) {
            throw new IllegalArgumentException(config.name() + " decodes " + config.latentChannels()
                    + "-channel latents, got " + latent.channels());
        }
        try (NDManager scope = manager.newSubManager(); GradMode off = GradMode.off()) {
            NDArray z = Tensors.create(scope, latent.data(),
                    new Shape(1, latent.channels(), latent.frames(), latent.height(), latent.width()));
            return tree.decoder.forward(tree.statistics.denormalize(z)).toFloatArray();
        }
    }

    /** Parameters of encoder, decoder and statistics together. */
    public long parameterCount() {
        return tree.parameters().values().stream().mapToLong(p -> p.getShape().size()).sum();
    }

    /** The first element of a loaded parameter (by checkpoint name without {@code vae.}): for load checks. */
    float valueAtOrigin(String name) {
        NDArray array = tree.parameters().get(name).getArray();
        return array.getFloat(new long[array.getShape().dimension()]);
    }

    @Override
    public void close() {
        manager.close();
    }

    /** RGB24 frames → planar floats (3, F, H, W) in [−1, 1]. */
    private static float[] planar(PixelVideo video) {
        int plane = video.height() * video.width();
        int frames = video.frameCount();
        float[] out = new float[3 * frames * plane];
        for (int f = 0; f < frames; f++) {
            byte[] rgb = video.frames()[f];
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < 3; c++) {
                    out[(c * frames + f) * plane + p] = (rgb[p * 3 + c] & 0xFF) / 127.5f - 1f;
                }
            }
        }
        return out;
    }

    /** Planar floats (3, F, H, W) in [−1, 1] → RGB24 frames. */
    private static PixelVideo interleaved(float[] values, int frames, int height, int width) {
        int plane = height * width;
        byte[][] out = new byte[frames][plane * 3];
        for (int f = 0; f < frames; f++) {
            for (int c = 0; c < 3; c++) {
                int from = (c * frames + f) * plane;
                for (int p = 0; p < plane; p++) {
                    out[f][p * 3 + c] = (byte) Math.round((values[from + p] + 1f) * 127.5f);
                }
            }
        }
        return new PixelVideo(height, width, out);
    }

    private static VaeConfig configOf(List<Path> shards) throws IOException {
        String json = CheckpointConfig.withSection(shards, "vae");
        return json == null ? VaeConfig.ltx23() : VaeConfig.fromCheckpointMetadata(VaeConfig.ltx23().name(), json);
    }

    /** LTX-2.0's decoder may carry timestep conditioning, which this implementation does not compute. */
    private static void refuseTimestepConditioning(List<Path> shards) throws IOException {
        for (Path shard : shards) {
            try (var reader = SafetensorsReader.open(shard)) {
                for (String key : reader.names()) {
                    if (key.endsWith("decoder.last_scale_shift_table") || key.endsWith("decoder.timestep_scale_multiplier")) {
                        throw new IOException(shard.getFileName() + " holds a timestep-conditioned VAE decoder ("
                                + key + "); only LTX-2.3's unconditioned decoder is supported");
                    }
                }
            }
        }
    }

    /**
     * Names and sizes of the weight files: part of the dataset cache key, so other weights encode
     * datasets again. (Hashing tens of GB of checkpoint at every start would cost minutes.)
     */
    private static String fingerprint(List<Path> shards) throws IOException {
        long hash = 1125899906842597L;
        for (Path shard : shards) {
            String part = shard.getFileName() + "/" + Files.size(shard);
            for (int i = 0; i < part.length(); i++) {
                hash = 31 * hash + part.charAt(i);
            }
        }
        return Long.toHexString(hash);
    }

    /** The module tree whose names are the checkpoint's. */
    private static final class Tree extends Module {
        private final VaeEncoder encoder;
        private final VaeDecoder decoder;
        private final LatentStatistics statistics;

        Tree(VaeConfig config) {
            encoder = child("encoder", new VaeEncoder(config));
            decoder = child("decoder", new VaeDecoder(config));
            statistics = child("per_channel_statistics", new LatentStatistics(config.latentChannels()));
        }

        Map<String, Parameter> parameters() {
            return CheckpointNames.of(this);
        }
    }
}
