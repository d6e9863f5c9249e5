package org.ltxfleet.model.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.model.latent.Keyframe;
import org.ltxfleet.model.latent.Latent;
import org.ltxfleet.model.latent.TextFeatures;
import org.ltxfleet.model.latent.TrainingExample;
import org.ltxfleet.model.nn.Noise;
import org.ltxfleet.model.nn.StorageReport;
import org.ltxfleet.model.nn.WeightStorage;
import org.ltxfleet.model.training.AdamW;
import org.ltxfleet.model.training.LearningRateSchedule;
import org.ltxfleet.model.training.LoraTrainer;
import org.ltxfleet.model.training.TrainingMemory;
import org.ltxfleet.model.transformer.LoraSpec;
import org.ltxfleet.model.transformer.TransformerConfig;
import org.ltxfleet.model.transformer.VideoTransformer;
import org.ltxfleet.model.transformer.Weights;

/**
 * LoRA training steps of a real-width transformer with synthetic weights, measured in a process of
 * its own ({@link MemoryBench} starts it): the resident memory once the engine is up and once the
 * weights are loaded; then, after a warm-up step, per window the peak resident memory of one step
 * (the peak is reset before it) and its seconds; and DJL's square-matmul rate in the same process.
 * Windows run smallest first, so a step's peak is not hidden by an earlier, larger one. Prints
 * {@code RESULT {json}}.
 *
 * <p>A window is {@code frames} latent frames plus first and last keyframes of
 * {@code height × width} tokens each, so it has {@code (frames + 2)·height·width} tokens.
 */
public final class MemoryStep {

    private MemoryStep() {
    }

    /**
     * {@code config-json rank textTokens storage checkpointing recompute scoreBudget window...}, a
     * window written {@code frames×height×width}.
     */
    public static void main(String[] args) throws InterruptedException {
        var config = TransformerConfig.fromCheckpointMetadata(args[0]);
        int rank = Integer.parseInt(args[1]);
        int textTokens = Integer.parseInt(args[2]);
        var storage = WeightStorage.parse(args[3], "storage");
        var memory = new TrainingMemory(Boolean.parseBoolean(args[4]), Boolean.parseBoolean(args[5]), Long.parseLong(args[6]));
        var windows = new ArrayList<int[]>();
        for (int i = 7; i < args.length; i++) {
            windows.add(Arrays.stream(args[i].split("×")).mapToInt(Integer::parseInt).toArray());
        }
        System.out.println("RESULT " + Json.toString(run(config, rank, textTokens, storage, memory, windows)));
    }

    static Map<String, Object> run(TransformerConfig config, int rank, int textTokens, WeightStorage storage,
                                   TrainingMemory memory, List<int[]> windows) throws InterruptedException {
        var result = new LinkedHashMap<String, Object>();
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.zeros(new Shape(1)).close(); // the engine up: libtorch and its thread pools resident
            System.gc();
            result.put("device", manager.getDevice().toString());
            result.put("rss_engine_bytes", ProcessMemory.residentBytes());
            if (manager.getDevice().isGpu()) {
                result.put("gpu_engine_bytes", DevicePeak.usedBytes(manager.getDevice()));
            }
            var model = new VideoTransformer(config, LoraSpec.attention(rank));
            long loadStart = System.nanoTime();
            StorageReport report = Weights.initializeSynthetic(model, Weights.upload(model, manager, storage), 1);
            model.freezeBase();
            System.gc();
            result.put("load_s", (System.nanoTime() - loadStart) / 1e9);
            result.put("rss_loaded_bytes", ProcessMemory.residentBytes());
            result.put("half_values", report.halfValues());
            AdamW optimizer = AdamW.defaults(manager);
            long start = System.nanoTime();
            trainer(model, windows.get(0), textTokens, optimizer, memory, manager).step(); // moments, allocator pools
            result.put("warmup_step_s", (System.nanoTime() - start) / 1e9);
            var steps = new ArrayList<Map<String, Object>>();
            for (int[] window : windows) {
                LoraTrainer trainer = trainer(model, window, textTokens, optimizer, memory, manager);
                System.gc();
                var step = new LinkedHashMap<String, Object>();
                step.put("tokens", (window[0] + 2L) * window[1] * window[2]);
                step.put("rss_before_bytes", ProcessMemory.residentBytes());
                boolean gpu = manager.getDevice().isGpu();
                if (gpu) {
                    step.put("gpu_before_bytes", DevicePeak.usedBytes(manager.getDevice()));
                }
                boolean reset = ProcessMemory.resetPeak();
                start = System.nanoTime();
                double loss;
                try (DevicePeak device = gpu ? DevicePeak.start(manager.getDevice()) : null) {
                    loss = trainer.step().loss();
                    if (device != null) {
                        step.put("gpu_peak_bytes", device.peakBytes());
                    }
                }
                step.put("step_s", (System.nanoTime() - start) / 1e9);
                step.put("peak_bytes", reset ? ProcessMemory.peakBytes() : -1);
                step.put("loss_finite", Double.isFinite(loss));
                steps.add(step);
                System.err.println("window " + step);
            }
            result.put("steps", steps);
            result.put("matmul_peak_flop_per_s", MatmulPeak.measure(manager, config.hidden(), 3));
        }
        result.put("cpu_threads", ai.djl.pytorch.jni.JniUtils.getNumThreads());
        return result;
    }

    private static LoraTrainer trainer(VideoTransformer model, int[] window, int textTokens, AdamW optimizer,
                                       TrainingMemory memory, NDManager manager) {
        var example = example(model.config(), window[0], window[1], window[2], textTokens);
        return new LoraTrainer(model, List.of(example), optimizer, new LearningRateSchedule(1e-4, 4), 1, 0, memory, manager);
    }

    static TrainingExample example(TransformerConfig config, int frames, int height, int width, int textTokens) {
        int c = config.latentChannels();
        int perFrame = height * width;
        float[] text = Noise.gaussian(4, textTokens * config.hidden());
        return new TrainingExample(new Latent(c, frames, height, width, Noise.gaussian(1, c * frames * perFrame)),
                List.of(new Keyframe(0, new Latent(c, 1, height, width, Noise.gaussian(2, c * perFrame))),
                        new Keyframe(8 * (frames - 1), new Latent(c, 1, height, width, Noise.gaussian(3, c * perFrame)))),
                new TextFeatures(textTokens, config.hidden(), text), 24);
    }
}
