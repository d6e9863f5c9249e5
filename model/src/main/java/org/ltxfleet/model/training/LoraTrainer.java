package org.ltxfleet.model.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ltxfleet.model.latent.TrainingExample;
import org.ltxfleet.model.nn.Noise;
import org.ltxfleet.model.objective.SigmaSampler;
import org.ltxfleet.model.transformer.KeyframeLayout;
import org.ltxfleet.model.transformer.VideoTransformer;

/**
 * Trains a transformer's trainable parameters (the adapters, or everything for base pre-training)
 * on the keyframe objective: one example per step, AdamW, warm-up then linear decay, gradients
 * clipped to a global norm of 1. Every step's randomness (which example, σ, ε, keyframe layout)
 * comes from a stream seeded by (seed, step), so a run resumed at step k from a checkpoint repeats
 * exactly what an uninterrupted run would have done: the step count is the whole RNG state.
 */
public final class LoraTrainer {

    /** LTX trainer's gradient clipping norm. */
    public static final double MAX_GRAD_NORM = 1.0;

    private final VideoTransformer model;
    private final List<TrainingExample> examples;
    private final Map<String, Parameter> trainable = new LinkedHashMap<>();
    private final AdamW optimizer;
    private final LearningRateSchedule schedule;
    private final long seed;
    private final double firstInPlaceShare;
    private final NDManager manager;
    private final StepGradients gradients;
    private long sigmaTokens;

    /** What one step did. */
    public record StepResult(int step, double loss, double learningRate, double gradientNorm, double sigma,
                             KeyframeLayout layout) {
    }

    /** A trainer whose keyframes are always appended, on one graph per step. */
    public LoraTrainer(VideoTransformer model, List<TrainingExample> examples, AdamW optimizer,
                       LearningRateSchedule schedule, long seed, NDManager manager) {
        this(model, examples, optimizer, schedule, seed, 0, TrainingMemory.plain(), manager);
    }

    /**
     * A trainer that lays out a share of its steps' keyframes {@link KeyframeLayout#FIRST_IN_PLACE}
     * (drawn per step) and appends them in the rest, so the adapters learn both layouts.
     */
    public LoraTrainer(VideoTransformer model, List<TrainingExample> examples, AdamW optimizer,
                       LearningRateSchedule schedule, long seed, double firstInPlaceShare, TrainingMemory memory,
                       NDManager manager) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        if (!(firstInPlaceShare >= 0 && firstInPlaceShare <= 1)) {
            throw new IllegalArgumentException("the first-in-place share must be within [0, 1], got " + firstInPlaceShare);
        }
        this.model = model;
        this.examples = List.copyOf(examples);
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.seed = seed;
        this.firstInPlaceShare = firstInPlaceShare;
        this.manager = manager;
        this.gradients = new StepGradients(memory);
        model.parametersByName().forEach((name, parameter) -> {
            if (parameter.requiresGradient()) {
                trainable.put(name, parameter);
            }
        });
        if (trainable.isEmpty()) {
            throw new IllegalArgumentException("the model has no trainable parameters");
        }
    }

    /**
     * Draws every step's σ as for a clip of {@code tokens} video tokens, whatever the example's size
     * (LTX's trainer draws it for the example's own count, as this trainer does unless told).
     */
    public LoraTrainer drawingSigmaAsFor(long tokens) {
        if (tokens < 1) {
            throw new IllegalArgumentException("tokens must be at least 1, got " + tokens);
        }
        this.sigmaTokens = tokens;
        return this;
    }

    /** Trainable parameters by checkpoint name. */
    public Map<String, Parameter> trainable() {
        return trainable;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    /** How each step keeps its tensors. */
    public TrainingMemory memory() {
        return gradients.memory();
    }

    /** Runs the next step. */
    public StepResult step() {
        optimizer.beginStep();
        int step = (int) optimizer.step();
        var random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
        TrainingExample example = examples.get(random.nextInt(examples.size()));
        int videoTokens = example.video().tokens();
        double sigma = new SigmaSampler(random.nextLong()).sample(sigmaTokens > 0 ? sigmaTokens : videoTokens);
        float[] noise = Noise.gaussian(random.nextLong(), videoTokens * example.video().channels());
        // Drawn after the others, so the example, σ and ε of every step stay what they were before layouts.
        KeyframeLayout layout = random.nextDouble() < firstInPlaceShare ? KeyframeLayout.FIRST_IN_PLACE
                : KeyframeLayout.APPENDED;
        double lr = schedule.at(step);
        try (NDManager stepManager = manager.newSubManager()) {
            var prepared = KeyframeObjective.prepare(model, example, layout, sigma, noise, stepManager);
            StepGradients.Result result = gradients.compute(model, prepared);
            if (result.firstBlockInputGradient() != null) {
                result.firstBlockInputGradient().close();
            }
            var named = new LinkedHashMap<String, NDArray>();
            NDArray squaredNorm = stepManager.zeros(new Shape());
            for (var entry : trainable.entrySet()) {
                NDArray gradient = entry.getValue().getArray().getGradient();
                gradient.attach(stepManager);
                named.put(entry.getKey(), gradient);
                try (NDArray square = gradient.square(); NDArray sum = square.sum(); NDArray before = squaredNorm) {
                    squaredNorm = before.add(sum);
                }
            }
            double norm = Math.sqrt(squaredNorm.getFloat());
            // A non-finite gradient (an overflow) skips the update rather than poisoning the weights.
            boolean finite = Double.isFinite(norm);
            float clip = (float) Math.min(1, MAX_GRAD_NORM / (norm + 1e-6));
            if (finite) {
                for (var entry : named.entrySet()) {
                    try (NDArray clipped = entry.getValue().mul(clip)) {
                        optimizer.update(entry.getKey(), trainable.get(entry.getKey()).getArray(), clipped, (float) lr);
                    }
                }
            }
            // Zeroed through the engine: a NaN gradient times 0 would stay NaN.
            trainable.values().forEach(p -> JniUtils.zeroGrad((PtNDArray) p.getArray()));
            return new StepResult(step, result.loss(), lr, norm, sigma, layout);
        }
    }
}
