package org.ltxfleet.model.vae.ltx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.model.latent.Latent;
import org.ltxfleet.model.nn.ParameterUpload;
import org.ltxfleet.model.nn.Tensors;
import org.ltxfleet.model.safetensors.DType;
import org.ltxfleet.model.safetensors.SafetensorsWriter;
import org.ltxfleet.model.vae.PixelVideo;

/** LTX's VAE: the real layout's names and shapes, and its semantics at small widths. */
class LtxVaeTest {

    /** The {@code vae} section of LTX-2.3's checkpoint metadata, as published. */
    static final String LTX23_CONFIG = """
            {"vae": {"_class_name": "CausalVideoAutoencoder", "dims": 3, "in_channels": 3, "out_channels": 3,
             "latent_channels": 128,
             "encoder_blocks": [["res_x", {"num_layers": 4}], ["compress_space_res", {"multiplier": 2}],
               ["res_x", {"num_layers": 6}], ["compress_time_res", {"multiplier": 2}], ["res_x", {"num_layers": 4}],
               ["compress_all_res", {"multiplier": 2}], ["res_x", {"num_layers": 2}],
               ["compress_all_res", {"multiplier": 1}], ["res_x", {"num_layers": 2}]],
             "decoder_blocks": [["res_x", {"num_layers": 4}], ["compress_space", {"multiplier": 2}],
               ["res_x", {"num_layers": 6}], ["compress_time", {"multiplier": 2}], ["res_x", {"num_layers": 4}],
               ["compress_all", {"multiplier": 1}], ["res_x", {"num_layers": 2}], ["compress_all", {"multiplier": 2}],
               ["res_x", {"num_layers": 2}]],
             "scaling_factor": 1.0, "norm_layer": "pixel_norm", "patch_size": 4, "latent_log_var": "uniform",
             "use_quant_conv": false, "causal_decoder": false, "timestep_conditioning": false,
             "normalize_latent_channels": false, "encoder_base_channels": 128, "decoder_base_channels": 128,
             "spatial_padding_mode": "zeros"}}
            """;

    /** The real blocks at small widths: encoder 16 → 128 channels, decoder bottleneck 32. */
    static final VaeConfig SMALL = VaeConfig.ltx23().withWidths(16, 4);

    @Test
    void ltx23HasTheCheckpointsNamesAndShapes() {
        Map<String, Shape> shapes = LtxVae.parameterShapes(VaeConfig.ltx23());
        assertThat(shapes.keySet().stream().filter(k -> k.startsWith("encoder."))).hasSize(84);
        assertThat(shapes.keySet().stream().filter(k -> k.startsWith("decoder."))).hasSize(84);
        assertThat(shapes).containsEntry("per_channel_statistics.mean-of-means", new Shape(128))
                .containsEntry("per_channel_statistics.std-of-means", new Shape(128))
                .containsEntry("encoder.conv_in.conv.weight", new Shape(128, 48, 3, 3, 3))
                .containsEntry("encoder.down_blocks.0.res_blocks.3.conv2.conv.weight", new Shape(128, 128, 3, 3, 3))
                .containsEntry("encoder.down_blocks.1.conv.conv.weight", new Shape(64, 128, 3, 3, 3))
                .containsEntry("encoder.down_blocks.2.res_blocks.5.conv1.conv.bias", new Shape(256))
                .containsEntry("encoder.down_blocks.3.conv.conv.weight", new Shape(256, 256, 3, 3, 3))
                .containsEntry("encoder.down_blocks.5.conv.conv.weight", new Shape(128, 512, 3, 3, 3))
                .containsEntry("encoder.down_blocks.7.conv.conv.weight", new Shape(128, 1024, 3, 3, 3))
                .containsEntry("encoder.down_blocks.8.res_blocks.1.conv2.conv.weight", new Shape(1024, 1024, 3, 3, 3))
                .containsEntry("encoder.conv_out.conv.weight", new Shape(129, 1024, 3, 3, 3))
                .containsEntry("decoder.conv_in.conv.weight", new Shape(1024, 128, 3, 3, 3))
                .containsEntry("decoder.up_blocks.0.res_blocks.1.conv1.conv.weight", new Shape(1024, 1024, 3, 3, 3))
                .containsEntry("decoder.up_blocks.1.conv.conv.weight", new Shape(4096, 1024, 3, 3, 3))
                .containsEntry("decoder.up_blocks.2.res_blocks.1.conv1.conv.weight", new Shape(512, 512, 3, 3, 3))
                .containsEntry("decoder.up_blocks.3.conv.conv.weight", new Shape(4096, 512, 3, 3, 3))
                .containsEntry("decoder.up_blocks.5.conv.conv.weight", new Shape(512, 512, 3, 3, 3))
                .containsEntry("decoder.up_blocks.6.res_blocks.5.conv2.conv.weight", new Shape(256, 256, 3, 3, 3))
                .containsEntry("decoder.up_blocks.7.conv.conv.weight", new Shape(512, 256, 3, 3, 3))
                .containsEntry("decoder.up_blocks.8.res_blocks.3.conv2.conv.weight", new Shape(128, 128, 3, 3, 3))
                .containsEntry("decoder.conv_out.conv.weight", new Shape(48, 128, 3, 3, 3));
        long encoder = sum(shapes, "encoder.");
        long decoder = sum(shapes, "decoder.");
        System.out.printf("ltx-2.3 VAE: encoder %,d, decoder %,d parameters%n", encoder, decoder);
        assertThat(decoder).isBetween(400_000_000L, 415_000_000L); // "~407M" as read from the checkpoint
    }

    @Test
    void readsTheArchitectureFromCheckpointMetadata() {
        assertThat(VaeConfig.fromCheckpointMetadata("ltx-2.3-vae", LTX23_CONFIG)).isEqualTo(VaeConfig.ltx23());
        String written = "{\"vae\": " + SMALL.toCheckpointMetadata() + "}";
        assertThat(VaeConfig.fromCheckpointMetadata(SMALL.name(), written)).as(written).isEqualTo(SMALL);
        assertThatThrownBy(() -> VaeConfig.fromCheckpointMetadata("x",
                LTX23_CONFIG.replace("\"timestep_conditioning\": false", "\"timestep_conditioning\": true")))
                .hasMessageContaining("timestep_conditioning");
        assertThatThrownBy(() -> VaeConfig.fromCheckpointMetadata("x",
                LTX23_CONFIG.replace("\"spatial_padding_mode\": \"zeros\"", "\"spatial_padding_mode\": \"reflect\"")))
                .hasMessageContaining("spatial_padding_mode = reflect");
    }

    @Test
    void geometryFollowsLtx(@TempDir Path dir) throws Exception {
        try (LtxVae vae = LtxVae.load(SMALL, List.of(SyntheticVaeWeights.write(SMALL, dir.resolve("v.safetensors"), 1, 0, 1)))) {
            Latent latent = vae.encode(video(17, 64, 96, 5));
            assertThat(List.of(latent.channels(), latent.frames(), latent.height(), latent.width()))
                    .containsExactly(16, 3, 2, 3);
            Latent keyframe = vae.encode(video(1, 64, 96, 5));
            assertThat(keyframe.frames()).isEqualTo(1);
            PixelVideo decoded = vae.decode(latent);
            assertThat(decoded.frameCount()).isEqualTo(17);
            assertThat(List.of(decoded.height(), decoded.width())).containsExactly(64, 96);
            assertThatThrownBy(() -> vae.encode(video(16, 64, 64, 1))).hasMessageContaining("1 + 8k");
            assertThatThrownBy(() -> vae.encode(video(9, 48, 64, 1))).hasMessageContaining("multiples of 32");
        }
    }

    @Test
    void encoderIsCausalAndAKeyframeIsTheFirstLatentFrame(@TempDir Path dir) throws Exception {
        try (LtxVae vae = LtxVae.load(SMALL, List.of(SyntheticVaeWeights.write(SMALL, dir.resolve("v.safetensors"), 2, 0, 1)))) {
            PixelVideo a = video(17, 64, 64, 7);
            byte[][] changed = a.frames().clone();
            for (int f = 9; f < 17; f++) {
                changed[f] = video(1, 64, 64, 100 + f).frames()[0];
            }
            Latent la = vae.encode(a);
            Latent lb = vae.encode(new PixelVideo(64, 64, changed));
            assertThat(maxDifference(la, lb, 0)).as("latent frame 0").isLessThan(1e-5f);
            assertThat(maxDifference(la, lb, 1)).as("latent frame 1 sees pixel frames 1-8").isLessThan(1e-5f);
            assertThat(maxDifference(la, lb, 2)).as("latent frame 2 sees pixel frames 9-16").isGreaterThan(1e-3f);
            Latent keyframe = vae.encode(new PixelVideo(64, 64, new byte[][] {a.frames()[0]}));
            assertThat(maxDifference(la, keyframe, 0)).as("first frame alone vs in the clip").isLessThan(1e-5f);
        }
    }

    @Test
    void latentsAreNormalisedWithThePerChannelStatistics(@TempDir Path dir) throws Exception {
        PixelVideo clip = video(9, 64, 64, 3);
        Latent raw;
        Latent normalised;
        try (LtxVae vae = LtxVae.load(SMALL, List.of(SyntheticVaeWeights.write(SMALL, dir.resolve("a.safetensors"), 3, 0, 1)))) {
            raw = vae.encode(clip);
        }
        try (LtxVae vae = LtxVae.load(SMALL, List.of(SyntheticVaeWeights.write(SMALL, dir.resolve("b.safetensors"), 3, 0.5f, 2)))) {
            normalised = vae.encode(clip);
        }
        for (int i = 0; i < raw.data().length; i++) {
            assertThat(normalised.data()[i]).isCloseTo((raw.data()[i] - 0.5f) / 2, org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void timePaddingRepeatsEdgeFrames() {
        // A kernel whose only tap is (time k, centre): the output frame t is input frame t − 2 + k
        // (causal) or t − 1 + k (non-causal), clamped to the clip by the replicated edge frames.
        float[] frames = {10, 20, 30, 40};
        assertThat(tap(frames, 0, true)).containsExactly(10, 10, 10, 20);
        assertThat(tap(frames, 2, true)).containsExactly(10, 20, 30, 40);
        assertThat(tap(frames, 0, false)).containsExactly(10, 10, 20, 30);
        assertThat(tap(frames, 2, false)).containsExactly(20, 30, 40, 40);
    }

    @Test
    void refusesTimestepConditionedDecodersAndNamesMissingTensors(@TempDir Path dir) throws Exception {
        Path conditioned = dir.resolve("ltx2.safetensors");
        new SafetensorsWriter().add("vae.decoder.last_scale_shift_table", DType.F32, new long[] {2, 128}, new float[256])
                .write(conditioned);
        assertThatThrownBy(() -> LtxVae.load(SMALL, List.of(conditioned))).hasMessageContaining("timestep-conditioned");
        Path partial = dir.resolve("partial.safetensors");
        new SafetensorsWriter().add("vae.encoder.conv_in.conv.bias", DType.F32, new long[] {16}, new float[16])
                .write(partial);
        assertThatThrownBy(() -> LtxVae.load(SMALL, List.of(partial))).hasMessageContaining("lacks")
                .hasMessageContaining("encoder.conv_in.conv.weight");
    }

    private static float[] tap(float[] frames, int timeTap, boolean causal) {
        try (NDManager manager = NDManager.newBaseManager()) {
            var conv = new CausalConv3d(1, 1);
            var params = org.ltxfleet.model.nn.CheckpointNames.of(conv);
            float[] weight = new float[27];
            weight[timeTap * 9 + 4] = 1f;
            ParameterUpload.install(params.get("conv.weight"),
                    Tensors.create(manager, weight, params.get("conv.weight").getShape()));
            ParameterUpload.install(params.get("conv.bias"), manager.zeros(params.get("conv.bias").getShape()));
            NDArray x = manager.create(frames).reshape(1, 1, frames.length, 1, 1);
            return conv.forward(x, causal).toFloatArray();
        }
    }

    private static float maxDifference(Latent a, Latent b, int frame) {
        int perFrame = a.height() * a.width();
        float max = 0;
        for (int c = 0; c < a.channels(); c++) {
            int from = (c * a.frames() + frame) * perFrame;
            int fromB = (c * b.frames() + frame) * perFrame;
            for (int i = 0; i < perFrame; i++) {
                max = Math.max(max, Math.abs(a.data()[from + i] - b.data()[fromB + i]));
            }
        }
        return max;
    }

    private static long sum(Map<String, Shape> shapes, String prefix) {
        return shapes.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(e -> e.getValue().size()).sum();
    }

    /** Smooth seeded colour fields, different per frame. */
    static PixelVideo video(int frames, int height, int width, long seed) {
        var random = new SplittableRandom(seed);
        byte[][] out = new byte[frames][height * width * 3];
        for (int f = 0; f < frames; f++) {
            double fx = random.nextDouble() * 0.3;
            double fy = random.nextDouble() * 0.3;
            double phase = random.nextDouble() * 6;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    for (int c = 0; c < 3; c++) {
                        double v = 128 + 100 * Math.sin(fx * x + fy * y + phase + c);
                        out[f][(y * width + x) * 3 + c] = (byte) (int) v;
                    }
                }
            }
        }
        return new PixelVideo(height, width, out);
    }
}
