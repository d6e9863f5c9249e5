package org.ltxfleet.model.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.model.TinyFixtures;
import org.ltxfleet.model.latent.TrainingExample;
import org.ltxfleet.model.nn.Noise;
import org.ltxfleet.model.training.KeyframeObjective;

class VideoTransformerTest {

    @Test
    void ltx23PresetHasTheRealVideoStreamParameterCount() {
        var model = new VideoTransformer(TransformerConfig.ltx23(), LoraSpec.none());
        long count = model.baseParameterCount();
        System.out.printf("ltx-2.3 video transformer: %,d parameters%n", count);
        // 48 blocks × 268,812,352 + 221,323,392 globals (docs/ltx-2.3-architecture.md §2).
        assertThat(count).isEqualTo(13_124_316_288L);
    }

    @Test
    void parametersCarryTheCheckpointNamesAndShapes() {
        Map<String, Long[]> expected = Map.of(
                "transformer_blocks.47.attn1.to_q.weight", new Long[] {4096L, 4096L},
                "transformer_blocks.0.attn1.to_gate_logits.weight", new Long[] {32L, 4096L},
                "transformer_blocks.0.attn2.to_out.0.bias", new Long[] {4096L},
                "transformer_blocks.0.attn1.q_norm.weight", new Long[] {4096L},
                "transformer_blocks.0.ff.net.0.proj.weight", new Long[] {16384L, 4096L},
                "transformer_blocks.0.ff.net.2.weight", new Long[] {4096L, 16384L},
                "transformer_blocks.0.scale_shift_table", new Long[] {9L, 4096L},
                "transformer_blocks.0.prompt_scale_shift_table", new Long[] {2L, 4096L},
                "adaln_single.linear.weight", new Long[] {36864L, 4096L},
                "prompt_adaln_single.emb.timestep_embedder.linear_1.weight", new Long[] {4096L, 256L});
        var names = new VideoTransformer(TransformerConfig.ltx23(), LoraSpec.none()).parametersByName();
        expected.forEach((name, shape) -> {
            assertThat(names).containsKey(name);
            assertThat(names.get(name).getShape().getShape()).containsExactly(
                    java.util.Arrays.stream(shape).mapToLong(Long::longValue).toArray());
        });
        assertThat(names).containsKeys("patchify_proj.weight", "proj_out.bias", "scale_shift_table");
        assertThat(names.keySet()).noneMatch(n -> n.startsWith("0") || n.contains("_0"));
    }

    /** Each block frees its temporaries when it returns: what a pass leaves does not grow with the depth. */
    @Test
    void aForwardPassLeavesTheSameTensorsWhateverTheDepth() {
        TrainingExample example = TinyFixtures.example(0, false);
        int[] left = new int[2];
        int[] depths = {1, 6};
        for (int d = 0; d < depths.length; d++) {
            try (NDManager manager = NDManager.newBaseManager()) {
                var model = new VideoTransformer(TinyFixtures.CONFIG.withBlocks(depths[d]), LoraSpec.attention(4));
                Weights.initialize(model, manager, 1);
                try (NDManager step = manager.newSubManager(); var off = org.ltxfleet.model.nn.GradMode.off()) {
                    var prepared = prepare(model, example, 0.5, step);
                    int before = ((ai.djl.ndarray.BaseNDManager) step).getManagedArrays().size();
                    model.forward(prepared.input());
                    left[d] = ((ai.djl.ndarray.BaseNDManager) step).getManagedArrays().size() - before;
                }
            }
        }
        System.out.printf("tensors a forward pass leaves: %d at 1 block, %d at 6%n", left[0], left[1]);
        assertThat(left[1]).isEqualTo(left[0]);
        assertThat(left[0]).isLessThan(40);
    }

    @Test
    void forwardGivesOneVelocityPerToken() {
        try (NDManager manager = NDManager.newBaseManager()) {
            var model = TinyFixtures.model(LoraSpec.none(), 1, manager);
            TrainingExample example = TinyFixtures.example(0, true);
            // 33 frames of 128 × 96 → 5 latent frames of 3 × 4 tokens; 3 keyframes of 12 tokens.
            assertThat(example.video().tokens()).isEqualTo(5 * 3 * 4);
            var prepared = prepare(model, example, 0.5);
            assertThat(prepared.input().latents().getShape().getShape()).containsExactly(1, 96, 128);
            NDArray out = model.forward(prepared.input());
            assertThat(out.getShape().getShape()).containsExactly(1, 96, 128);
            assertThat(prepared.lossMask().sum().getFloat()).isEqualTo(60f);
        }
    }

    @Test
    void anAdapterAtStepZeroLeavesTheBaseOutputExactly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            var base = TinyFixtures.model(LoraSpec.none(), 3, manager);
            var adapted = TinyFixtures.model(new LoraSpec(32, true), 3, manager);
            TrainingExample example = TinyFixtures.example(1, false);
            float[] a = base.forward(prepare(base, example, 0.7).input()).toFloatArray();
            float[] b = adapted.forward(prepare(adapted, example, 0.7).input()).toFloatArray();
            assertThat(b).containsExactly(a);
        }
    }

    @Test
    void keyframeTokensDoNotCountInTheLoss() {
        try (NDManager manager = NDManager.newBaseManager()) {
            var model = TinyFixtures.model(LoraSpec.none(), 1, manager);
            var prepared = prepare(model, TinyFixtures.example(2, false), 0.4);
            NDArray prediction = model.forward(prepared.input());
            float loss = org.ltxfleet.model.objective.FlowMatching.loss(prediction, prepared.target(),
                    prepared.lossMask()).getFloat();
            // Change every keyframe token's prediction wildly: the loss must not move.
            NDArray shifted = prediction.get(":, 0:60").concat(prediction.get(":, 60:").add(100), 1);
            float lossShifted = org.ltxfleet.model.objective.FlowMatching.loss(shifted, prepared.target(),
                    prepared.lossMask()).getFloat();
            assertThat(lossShifted).isEqualTo(loss);
            // …while a change in one video token does.
            NDArray videoShifted = prediction.get(":, 0:1").add(1).concat(prediction.get(":, 1:"), 1);
            assertThat(org.ltxfleet.model.objective.FlowMatching.loss(videoShifted, prepared.target(),
                    prepared.lossMask()).getFloat()).isNotEqualTo(loss);
        }
    }

    @Test
    void savedBaseWeightsReloadBitForBit(@TempDir Path dir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            var model = TinyFixtures.model(LoraSpec.none(), 5, manager);
            Path file = dir.resolve("base.safetensors");
            Weights.saveBase(model, Map.of("k", "v"), file);
            var copy = new VideoTransformer(TinyFixtures.CONFIG, LoraSpec.attention(16));
            Weights.initialize(copy, manager, 99);
            int loaded = Weights.load(copy, List.of(file), manager);
            assertThat(loaded).isEqualTo(model.parametersByName().size());
            TrainingExample example = TinyFixtures.example(3, false);
            assertThat(copy.forward(prepare(copy, example, 0.3).input()).toFloatArray())
                    .containsExactly(model.forward(prepare(model, example, 0.3).input()).toFloatArray());
        }
    }

    static KeyframeObjective.Prepared prepare(VideoTransformer model, TrainingExample example, double sigma) {
        return prepare(model, example, sigma, model.parametersByName().values().iterator().next().getArray().getManager());
    }

    static KeyframeObjective.Prepared prepare(VideoTransformer model, TrainingExample example, double sigma,
                                              NDManager manager) {
        float[] noise = Noise.gaussian(11, example.video().tokens() * example.video().channels());
        return KeyframeObjective.prepare(model, example, KeyframeLayout.APPENDED, sigma, noise, manager);
    }
}
