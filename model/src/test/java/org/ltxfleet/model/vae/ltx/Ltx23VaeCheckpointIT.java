package org.ltxfleet.model.vae.ltx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.model.latent.Latent;
import org.ltxfleet.model.safetensors.DType;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.safetensors.SafetensorsWriter;
import org.ltxfleet.model.vae.PixelVideo;

/**
 * LTX-2.3's VAE at its real widths loads a sharded bf16 checkpoint written with the single-file
 * key names ({@code vae.…}), its config metadata, and keys it must skip (the transformer's, the
 * unused statistics LTX-2.0 files carry). Each tensor holds its own constant, so a value landing in
 * the wrong parameter shows; then a small clip goes through encoder and decoder at full width.
 */
class Ltx23VaeCheckpointIT {

    @Test
    void loadsRealNamesAndShapesAndRunsAtFullWidth(@TempDir Path dir) throws Exception {
        Map<String, Shape> shapes = LtxVae.parameterShapes(VaeConfig.ltx23());
        var expected = new HashMap<String, Float>();
        var shards = List.of(new SafetensorsWriter(), new SafetensorsWriter());
        shards.get(0).metadata("config", LtxVaeTest.LTX23_CONFIG);
        int index = 0;
        for (var entry : shapes.entrySet()) {
            String name = entry.getKey();
            // exact in bf16; small, so activations stay finite through 40 convolutions
            float value = name.endsWith("std-of-means") ? 1f : (index % 13 + 1) / 4096f;
            expected.put(name, value);
            int size = Math.toIntExact(entry.getValue().size());
            shards.get(index % 2).add(LtxVae.CHECKPOINT_PREFIX + name, DType.BF16, entry.getValue().getShape(), () -> {
                float[] values = new float[size];
                Arrays.fill(values, value);
                return values;
            });
            index++;
        }
        shards.get(0).add("model.diffusion_model.proj_out.weight", DType.BF16, new long[] {128, 4096},
                () -> new float[128 * 4096]);
        shards.get(1).add("vae.per_channel_statistics.mean-of-stds", DType.BF16, new long[] {128}, () -> new float[128]);
        var files = new ArrayList<Path>();
        for (int i = 0; i < shards.size(); i++) {
            Path file = dir.resolve("ltx-2.3-vae-0000" + (i + 1) + "-of-00002.safetensors");
            shards.get(i).write(file);
            files.add(file);
        }
        long start = System.nanoTime();
        try (LtxVae vae = LtxVae.load(files)) {
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            assertThat(vae.config()).isEqualTo(VaeConfig.ltx23());
            System.out.printf("ltx-2.3 VAE: %d tensors, %,d parameters loaded from 2 bf16 shards in %.1f s%n",
                    shapes.size(), vae.parameterCount(), loadSeconds);
            try (var reader = SafetensorsReader.open(files.get(0))) {
                assertThat(reader.names()).contains("vae.encoder.conv_in.conv.weight");
            }
            expected.forEach((name, value) -> assertThat(vae.valueAtOrigin(name)).as(name).isEqualTo(value));

            PixelVideo clip = LtxVaeTest.video(9, 64, 64, 11);
            start = System.nanoTime();
            Latent latent = vae.encode(clip);
            PixelVideo decoded = vae.decode(latent);
            System.out.printf("9 frames of 64×64 encoded and decoded at full width in %.1f s%n",
                    (System.nanoTime() - start) / 1e9);
            assertThat(List.of(latent.channels(), latent.frames(), latent.height(), latent.width()))
                    .containsExactly(128, 2, 2, 2);
            for (float v : latent.data()) {
                assertThat(Float.isFinite(v)).isTrue();
            }
            assertThat(decoded.frameCount()).isEqualTo(9);
            assertThat(decoded.frames()[8]).hasSize(64 * 64 * 3);
        }
    }
}
