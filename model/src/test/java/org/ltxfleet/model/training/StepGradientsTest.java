package org.ltxfleet.model.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ltxfleet.model.TinyFixtures;
import org.ltxfleet.model.latent.TrainingExample;
import org.ltxfleet.model.nn.BackwardTape;
import org.ltxfleet.model.nn.GradMode;
import org.ltxfleet.model.nn.Noise;
import org.ltxfleet.model.nn.Tensors;
import org.ltxfleet.model.objective.FlowMatching;
import org.ltxfleet.model.transformer.KeyframeLayout;
import org.ltxfleet.model.transformer.LoraSpec;
import org.ltxfleet.model.transformer.VideoTransformer;

/**
 * Block checkpointing and recomputed attention change what a step keeps, never what it computes:
 * every gradient equals the one-graph path's (autograd through everything, as the trainer did before
 * either existed), and seeded training follows the same path.
 */
class StepGradientsTest {

    /** Norm-relative difference allowed per tensor: float32 sums in another order. */
    private static final double GRADIENT_TOLERANCE = 1e-6;
    /** A score budget small enough that every attention runs in several query chunks. */
    private static final long SMALL_BUDGET = 1_000;

    private static final List<TrainingMemory> MODES = List.of(
            TrainingMemory.plain().withBlockCheckpointing(true),
            TrainingMemory.plain().withAttentionRecompute(true),
            TrainingMemory.lowest(),
            TrainingMemory.lowest().withAttentionScoreBudget(SMALL_BUDGET),
            TrainingMemory.plain().withAttentionRecompute(true).withAttentionScoreBudget(SMALL_BUDGET));

    @Test
    void everyAdapterGradientAndTheFirstBlockInputGradientEqualTheOneGraphPath() {
        TrainingExample example = TinyFixtures.example(3, true);
        try (NDManager manager = NDManager.newBaseManager()) {
            VideoTransformer model = adaptedModel(manager);
            Gradients reference = oneGraphWithInputLeaf(model, example, manager);
            long adapters = model.parametersByName().keySet().stream().filter(VideoTransformer::isLora).count();
            assertThat(reference.parameters().size()).isEqualTo(adapters);
            for (TrainingMemory memory : MODES) {
                Gradients got = gradients(model, example, memory, manager);
                System.out.printf("%s: loss %.9f vs %.9f%n", memory.describe(), got.loss(), reference.loss());
                assertThat(got.loss()).as(memory.describe()).isCloseTo(reference.loss(), org.assertj.core.data.Offset.offset(1e-6));
                assertClose(memory.describe(), got.parameters(), reference.parameters());
                if (got.firstBlockInput() != null) {
                    assertClose(memory.describe(), Map.of("first block input", got.firstBlockInput()),
                            Map.of("first block input", reference.firstBlockInput()));
                }
            }
        }
    }

    @Test
    void everyWeightGradientOfAFullyTrainedBaseEqualsTheOneGraphPath() {
        TrainingExample example = TinyFixtures.example(2, false);
        try (NDManager manager = NDManager.newBaseManager()) {
            VideoTransformer model = TinyFixtures.model(LoraSpec.none(), 4, manager);
            model.parametersByName().values().forEach(p -> p.freeze(false));
            Gradients reference = gradients(model, example, TrainingMemory.plain(), manager);
            assertThat(reference.parameters().size()).isEqualTo(model.parametersByName().size());
            for (TrainingMemory memory : MODES) {
                assertClose(memory.describe(), gradients(model, example, memory, manager).parameters(), reference.parameters());
            }
        }
    }

    @Test
    void twentySeededStepsFollowTheSamePath() {
        List<TrainingExample> examples = List.of(TinyFixtures.example(3, true), TinyFixtures.example(1, false));
        Map<String, float[]> reference = train(examples, TrainingMemory.plain());
        for (TrainingMemory memory : List.of(TrainingMemory.lowest(), TrainingMemory.lowest().withAttentionScoreBudget(SMALL_BUDGET))) {
            Map<String, float[]> got = train(examples, memory);
            got.forEach((name, values) -> {
                double difference = relativeDifference(values, reference.get(name));
                assertThat(difference).as(memory.describe() + " " + name).isLessThanOrEqualTo(1e-5);
            });
        }
    }

    private static Map<String, float[]> train(List<TrainingExample> examples, TrainingMemory memory) {
        try (NDManager manager = NDManager.newBaseManager()) {
            VideoTransformer model = adaptedModel(manager);
            var trainer = new LoraTrainer(model, examples, AdamW.defaults(manager), new LearningRateSchedule(1e-3, 20), 3,
                    0.5, memory, manager);
            for (int i = 0; i < 20; i++) {
                trainer.step();
            }
            var weights = new LinkedHashMap<String, float[]>();
            trainer.trainable().forEach((name, p) -> weights.put(name, p.getArray().toFloatArray()));
            return weights;
        }
    }

    /** A tiny model with attention and feed-forward adapters whose B is not zero, so every A has a gradient too. */
    static VideoTransformer adaptedModel(NDManager manager) {
        VideoTransformer model = TinyFixtures.model(new LoraSpec(8, true), 5, manager);
        model.freezeBase();
        model.parametersByName().forEach((name, p) -> {
            if (name.endsWith(".lora_B")) {
                float[] values = Noise.gaussian(name.hashCode(), (int) p.getShape().size());
                for (int i = 0; i < values.length; i++) {
                    values[i] *= 0.1f;
                }
                p.getArray().set(values);
            }
        });
        return model;
    }

    record Gradients(double loss, Map<String, float[]> parameters, float[] firstBlockInput) {
    }

    private static KeyframeObjective.Prepared prepare(VideoTransformer model, TrainingExample example, NDManager manager) {
        float[] noise = Noise.gaussian(9, example.video().tokens() * example.video().channels());
        return KeyframeObjective.prepare(model, example, KeyframeLayout.APPENDED, 0.6, noise, manager);
    }

    private static Gradients gradients(VideoTransformer model, TrainingExample example, TrainingMemory memory,
                                       NDManager manager) {
        try (NDManager step = manager.newSubManager()) {
            var result = new StepGradients(memory).compute(model, prepare(model, example, step));
            float[] input = result.firstBlockInputGradient() == null ? null : result.firstBlockInputGradient().toFloatArray();
            return new Gradients(result.loss(), collect(model), input);
        }
    }

    /** The one-graph path with a leaf at the first block's input, so its gradient can be read too. */
    private static Gradients oneGraphWithInputLeaf(VideoTransformer model, TrainingExample example, NDManager manager) {
        try (NDManager step = manager.newSubManager(); GradMode on = GradMode.on()) {
            var prepared = prepare(model, example, step);
            var in = prepared.input();
            var tape = BackwardTape.none(model.attentionKernel());
            var prologue = model.prologue(in);
            NDArray input = Tensors.keep(prologue.tokens().stopGradient());
            input.setRequiresGradient(true);
            NDArray loss = FlowMatching.loss(model.epilogue(model.blocks(input, prologue, in, tape), prologue.embedded()),
                    prepared.target(), prepared.lossMask());
            JniUtils.backward((PtNDArray) loss, (PtNDArray) loss.onesLike(), false, false);
            return new Gradients(loss.getFloat(), collect(model), input.getGradient().toFloatArray());
        }
    }

    /** Every trainable parameter's gradient, then zeroed for the next pass. */
    private static Map<String, float[]> collect(VideoTransformer model) {
        var gradients = new LinkedHashMap<String, float[]>();
        model.parametersByName().forEach((name, p) -> {
            if (p.requiresGradient()) {
                try (NDArray g = p.getArray().getGradient()) {
                    gradients.put(name, g.toFloatArray());
                }
                JniUtils.zeroGrad((PtNDArray) p.getArray());
            }
        });
        return gradients;
    }

    private static void assertClose(String what, Map<String, float[]> got, Map<String, float[]> expected) {
        assertThat(got.keySet()).as(what).isEqualTo(expected.keySet());
        double worst = 0;
        for (var entry : expected.entrySet()) {
            double difference = relativeDifference(got.get(entry.getKey()), entry.getValue());
            worst = Math.max(worst, difference);
            assertThat(difference).as(what + ": " + entry.getKey()).isLessThanOrEqualTo(GRADIENT_TOLERANCE);
        }
        System.out.printf("%s: %d tensors, worst norm-relative difference %.3g%n", what, expected.size(), worst);
    }

    /** ‖a − b‖ / ‖b‖ (0 when both are zero). */
    static double relativeDifference(float[] a, float[] b) {
        double difference = 0;
        double norm = 0;
        for (int i = 0; i < b.length; i++) {
            difference += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
            norm += (double) b[i] * b[i];
        }
        return norm == 0 ? Math.sqrt(difference) : Math.sqrt(difference / norm);
    }
}
