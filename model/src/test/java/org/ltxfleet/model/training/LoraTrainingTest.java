package org.ltxfleet.model.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.model.TinyFixtures;
import org.ltxfleet.model.latent.TrainingExample;
import org.ltxfleet.model.lora.LoraExporter;
import org.ltxfleet.model.nn.Noise;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.transformer.KeyframeLayout;
import org.ltxfleet.model.transformer.LoraSpec;
import org.ltxfleet.model.transformer.VideoTransformer;

class LoraTrainingTest {

    @Test
    void onlyTheAdaptersChange() {
        try (NDManager manager = NDManager.newBaseManager()) {
            var model = TinyFixtures.model(LoraSpec.attention(16), 1, manager);
            model.freezeBase();
            Map<String, float[]> before = snapshot(model);
            var trainer = new LoraTrainer(model, List.of(TinyFixtures.example(0, false)), AdamW.defaults(manager),
                    new LearningRateSchedule(1e-3, 10), 1, manager);
            for (int i = 0; i < 5; i++) {
                trainer.step();
            }
            assertThat(trainer.trainable().keySet()).allMatch(VideoTransformer::isLora);
            int changed = 0;
            for (var entry : model.parametersByName().entrySet()) {
                float[] now = entry.getValue().getArray().toFloatArray();
                if (VideoTransformer.isLora(entry.getKey())) {
                    changed += java.util.Arrays.equals(now, before.get(entry.getKey())) ? 0 : 1;
                } else {
                    assertThat(now).as(entry.getKey()).containsExactly(before.get(entry.getKey()));
                }
            }
            assertThat(changed).isEqualTo(trainer.trainable().size());
        }
    }

    @Test
    void sigmaCanBeDrawnAsForAnotherTokenCount() {
        try (NDManager manager = NDManager.newBaseManager()) {
            var model = TinyFixtures.model(LoraSpec.attention(4), 1, manager);
            model.freezeBase();
            var examples = List.of(TinyFixtures.example(0, false));
            var own = new LoraTrainer(model, examples, AdamW.defaults(manager), new LearningRateSchedule(1e-3, 40), 3,
                    manager);
            var shifted = new LoraTrainer(model, examples, AdamW.defaults(manager), new LearningRateSchedule(1e-3, 40), 3,
                    manager).drawingSigmaAsFor(4096);
            double ownMean = 0;
            double shiftedMean = 0;
            for (int i = 0; i < 40; i++) {
                ownMean += own.step().sigma() / 40;
                shiftedMean += shifted.step().sigma() / 40;
            }
            // A few dozen tokens draw around sigmoid(0.6); 4,096 around sigmoid(2.05), nearer 1.
            assertThat(shiftedMean).isGreaterThan(ownMean + 0.1);
        }
    }

    @Test
    void overfitsOneClip() {
        double[] losses = train(LoraSpec.none(), 300);
        System.out.printf("overfit, all weights: held-out-draw loss %.4f → %.4f (%.1f×)%n", losses[0], losses[1],
                losses[0] / losses[1]);
        assertThat(losses[1]).isLessThan(losses[0] / 5);
    }

    @Test
    void anAdapterAloneLowersTheLossOnItsClip() {
        double[] losses = train(LoraSpec.attention(32), 100);
        System.out.printf("overfit, rank-32 adapters on a random base: %.4f → %.4f (%.1f×)%n", losses[0], losses[1],
                losses[0] / losses[1]);
        assertThat(losses[1]).isLessThan(losses[0] / 1.5);
    }

    /** Held-out-draw loss before and after {@code steps} steps on one clip; without adapters every weight trains. */
    private static double[] train(LoraSpec lora, int steps) {
        try (NDManager manager = NDManager.newBaseManager()) {
            var model = TinyFixtures.model(lora, 2, manager);
            if (lora.rank() == 0) {
                model.parametersByName().values().forEach(p -> p.freeze(false));
            } else {
                model.freezeBase();
            }
            TrainingExample example = TinyFixtures.example(4, false);
            var trainer = new LoraTrainer(model, List.of(example), AdamW.defaults(manager),
                    new LearningRateSchedule(3e-3, steps), 4, manager);
            double before = heldOutLoss(model, example, manager);
            for (int i = 0; i < steps; i++) {
                trainer.step();
            }
            return new double[] {before, heldOutLoss(model, example, manager)};
        }
    }

    @Test
    void aShareOfStepsTrainsTheFirstKeyframeInPlaceWithTheSameDrawsOtherwise() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingExample example = TinyFixtures.example(4, false);
            var appended = new ArrayList<LoraTrainer.StepResult>();
            var mixed = new ArrayList<LoraTrainer.StepResult>();
            for (var run : List.of(Map.entry(0.0, appended), Map.entry(0.5, mixed))) {
                var model = TinyFixtures.model(new LoraSpec(8, true), 1, manager);
                model.freezeBase();
                var trainer = new LoraTrainer(model, List.of(example), AdamW.defaults(manager),
                        new LearningRateSchedule(1e-3, 40), 9, run.getKey(), TrainingMemory.plain(), manager);
                for (int i = 0; i < 40; i++) {
                    run.getValue().add(trainer.step());
                }
            }
            long inPlace = mixed.stream().filter(r -> r.layout() == KeyframeLayout.FIRST_IN_PLACE).count();
            assertThat(appended).allMatch(r -> r.layout() == KeyframeLayout.APPENDED);
            assertThat(inPlace).isBetween(12L, 28L);
            // The layout is drawn last: every step's σ (and example and ε) is the one an all-appended run draws.
            assertThat(mixed).extracting(LoraTrainer.StepResult::sigma)
                    .containsExactlyElementsOf(appended.stream().map(LoraTrainer.StepResult::sigma).toList());
        }
    }

    @Test
    void exportedKeysFollowTheLtxPattern(@TempDir Path dir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            var model = TinyFixtures.model(new LoraSpec(8, true), 1, manager);
            Path file = dir.resolve("lora.safetensors");
            int tensors = LoraExporter.write(model, Map.of("rank", "8"), file);
            var pattern = Pattern.compile("diffusion_model\\.transformer_blocks\\.(\\d+)\\."
                    + "(attn[12]\\.(to_q|to_k|to_v|to_out\\.0)|ff\\.net\\.(0\\.proj|2))\\.lora_[AB]\\.weight");
            int blocks = TinyFixtures.CONFIG.blocks();
            assertThat(tensors).isEqualTo(blocks * (2 * 4 + 2) * 2);
            try (var reader = SafetensorsReader.open(file)) {
                assertThat(reader.names()).hasSize(tensors).allMatch(n -> pattern.matcher(n).matches());
                for (int b = 0; b < blocks; b++) {
                    for (String layer : List.of("attn1.to_q", "attn1.to_k", "attn1.to_v", "attn1.to_out.0",
                            "attn2.to_q", "attn2.to_k", "attn2.to_v", "attn2.to_out.0", "ff.net.0.proj", "ff.net.2")) {
                        String prefix = "diffusion_model.transformer_blocks." + b + "." + layer;
                        assertThat(reader.info(prefix + ".lora_A.weight").shape()[0]).isEqualTo(8);
                        assertThat(reader.info(prefix + ".lora_B.weight").shape()[1]).isEqualTo(8);
                    }
                }
                assertThat(reader.metadata()).containsEntry("rank", "8");
            }
        }
    }

    /** Mean loss over fixed draws of σ and ε the training never used. */
    static double heldOutLoss(VideoTransformer model, TrainingExample example, NDManager manager) {
        double[] sigmas = {0.2, 0.4, 0.6, 0.8};
        double total = 0;
        for (int i = 0; i < sigmas.length; i++) {
            try (NDManager step = manager.newSubManager()) {
                float[] noise = Noise.gaussian(1000 + i, example.video().tokens() * example.video().channels());
                var prepared = KeyframeObjective.prepare(model, example, KeyframeLayout.APPENDED, sigmas[i], noise, step);
                total += KeyframeObjective.loss(model, prepared).getFloat();
            }
        }
        return total / sigmas.length;
    }

    private static Map<String, float[]> snapshot(VideoTransformer model) {
        var values = new HashMap<String, float[]>();
        model.parametersByName().forEach((n, p) -> values.put(n, p.getArray().toFloatArray()));
        return values;
    }
}
