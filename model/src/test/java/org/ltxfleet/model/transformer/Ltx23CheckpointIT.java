package org.ltxfleet.model.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.model.safetensors.DType;
import org.ltxfleet.model.safetensors.SafetensorsWriter;

/**
 * The ltx-2.3 preset at its real widths, cut to 1 block (every block has the same names and
 * shapes), loads a sharded bf16 checkpoint written with the real single-file key names
 * ({@code model.diffusion_model.…}) and shapes, beside keys
 * of the audio stream and the VAE that the video model must skip. Each tensor holds its own
 * constant, so a value landing in the wrong parameter shows.
 */
class Ltx23CheckpointIT {

    @Test
    void loadsRealNamesAndShapesFromShards(@TempDir Path dir) throws Exception {
        var config = TransformerConfig.ltx23().withBlocks(1);
        var model = new VideoTransformer(config, LoraSpec.attention(32));
        Map<String, Parameter> parameters = model.parametersByName();
        var expected = new HashMap<String, Float>();
        var shards = List.of(new SafetensorsWriter(), new SafetensorsWriter());
        int index = 0;
        for (var entry : parameters.entrySet()) {
            if (VideoTransformer.isLora(entry.getKey())) {
                continue;
            }
            float value = (index % 13 + 1) * 0.125f; // exact in bf16
            expected.put(entry.getKey(), value);
            long[] shape = entry.getValue().getShape().getShape();
            int size = Math.toIntExact(entry.getValue().getShape().size());
            shards.get(index % 2).add(Weights.CHECKPOINT_PREFIX + entry.getKey(), DType.BF16, shape, () -> {
                float[] values = new float[size];
                Arrays.fill(values, value);
                return values;
            });
            index++;
        }
        shards.get(0).add(Weights.CHECKPOINT_PREFIX + "transformer_blocks.0.audio_attn1.to_q.weight", DType.BF16,
                new long[] {2048, 2048}, () -> new float[2048 * 2048]);
        shards.get(1).add("vae.encoder.conv_in.conv.weight", DType.BF16, new long[] {128, 3, 3, 3, 3},
                () -> new float[128 * 81]);
        var files = new ArrayList<Path>();
        for (int i = 0; i < shards.size(); i++) {
            Path file = dir.resolve("ltx-2.3-test-0000" + (i + 1) + "-of-00002.safetensors");
            shards.get(i).write(file);
            files.add(file);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Weights.initialize(model, manager, 1);
            int loaded = Weights.load(model, files, manager);
            assertThat(loaded).isEqualTo(expected.size());
            System.out.printf("ltx-2.3 at 1 block: %d tensors, %,d parameters loaded from 2 bf16 shards%n",
                    loaded, model.baseParameterCount());
            expected.forEach((name, value) -> {
                var array = parameters.get(name).getArray();
                assertThat(array.getFloat(new long[array.getShape().dimension()])).as(name).isEqualTo(value);
            });
            assertThat(parameters.get("transformer_blocks.0.attn1.to_q.lora_B").getArray().abs().sum().getFloat())
                    .isZero();
        }
    }

    @Test
    void aMissingOrMisshapenTensorIsNamed(@TempDir Path dir) throws Exception {
        var model = new VideoTransformer(TransformerConfig.tiny(), LoraSpec.none());
        Path file = dir.resolve("wrong.safetensors");
        new SafetensorsWriter().add("patchify_proj.weight", DType.F32, new long[] {3, 3}, new float[9]).write(file);
        try (NDManager manager = NDManager.newBaseManager()) {
            Weights.initialize(model, manager, 1);
            assertThatThrownBy(() -> Weights.load(model, List.of(file), manager))
                    .hasMessageContaining("patchify_proj.weight").hasMessageContaining("[3, 3]");
        }
    }
}
