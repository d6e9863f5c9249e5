package org.ltxfleet.model.bench;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.ltxfleet.model.latent.Keyframe;
import org.ltxfleet.model.latent.Latent;
import org.ltxfleet.model.latent.TrainingExample;
import org.ltxfleet.model.nn.Noise;
import org.ltxfleet.model.text.HashedWordEncoder;
import org.ltxfleet.model.training.AdamW;
import org.ltxfleet.model.training.LearningRateSchedule;
import org.ltxfleet.model.training.LoraTrainer;
import org.ltxfleet.model.transformer.LoraSpec;
import org.ltxfleet.model.transformer.TransformerConfig;
import org.ltxfleet.model.transformer.VideoTransformer;
import org.ltxfleet.model.transformer.Weights;

/**
 * Times LoRA training steps of a preset on one window of {@code frames} at {@code width × height}
 * (first and last keyframes), and in the same process DJL's own square matmul on the same thread
 * setting, the engine's practical peak; reports the step's counted FLOP/s as a fraction of it.
 */
public final class ModelBench {

    private final TransformerConfig config;
    private final int frames;
    private final int width;
    private final int height;
    private final int rank;
    private final int steps;

    public ModelBench(TransformerConfig config, int frames, int width, int height, int rank, int steps) {
        this.config = config;
        this.frames = frames;
        this.width = width;
        this.height = height;
        this.rank = rank;
        this.steps = steps;
    }

    public Map<String, Object> run(Consumer<String> log) {
        int latentFrames = 1 + (frames - 1) / 8;
        int h = height / 32;
        int w = width / 32;
        int c = config.latentChannels();
        var example = new TrainingExample(
                new Latent(c, latentFrames, h, w, Noise.gaussian(1, c * latentFrames * h * w)),
                List.of(new Keyframe(0, new Latent(c, 1, h, w, Noise.gaussian(2, c * h * w))),
                        new Keyframe(frames - 1, new Latent(c, 1, h, w, Noise.gaussian(3, c * h * w)))),
                new HashedWordEncoder(config.hidden()).encode("a benchmark clip"), 24);
        long tokens = (long) (latentFrames + 2) * h * w;
        var result = new LinkedHashMap<String, Object>();
        result.put("preset", config.name());
        result.put("window", frames + " frames " + width + "x" + height);
        result.put("tokens", tokens);
        result.put("lora_rank", rank);
        try (NDManager manager = NDManager.newBaseManager()) {
            var model = new VideoTransformer(config, LoraSpec.attention(rank));
            Weights.initialize(model, manager, 1);
            model.freezeBase();
            var trainer = new LoraTrainer(model, List.of(example), AdamW.defaults(manager),
                    new LearningRateSchedule(1e-4, steps + 2), 1, manager);
            trainer.step(); // warm-up: first-touch allocations and kernel selection
            var times = new ArrayList<Double>();
            Runtime runtime = Runtime.getRuntime();
            long peakRss = 0;
            for (int i = 0; i < steps; i++) {
                long start = System.nanoTime();
                trainer.step();
                times.add((System.nanoTime() - start) / 1e9);
                peakRss = Math.max(peakRss, ProcessMemory.residentBytes());
                log.accept(String.format("step %d: %.3f s", i + 1, times.get(times.size() - 1)));
            }
            double step = median(times);
            double flops = FlopCount.trainingStep(config, tokens, HashedWordEncoder.MAX_TOKENS, rank);
            double peak = matmulPeak(manager, log);
            result.put("step_s", round(step));
            result.put("video_frames_per_s", round(frames / step));
            result.put("step_gflop", round(flops / 1e9));
            result.put("achieved_gflop_per_s", round(flops / step / 1e9));
            result.put("djl_matmul_peak_gflop_per_s", round(peak / 1e9));
            result.put("fraction_of_matmul_peak", round(flops / step / peak));
            result.put("peak_rss_mib", peakRss / (1 << 20));
            result.put("java_heap_used_mib", (runtime.totalMemory() - runtime.freeMemory()) / (1 << 20));
            result.put("cpu_threads", ai.djl.pytorch.jni.JniUtils.getNumThreads());
        }
        return result;
    }

    /** Best of ten 1024² float matmuls: what the engine reaches on dense work here. */
    private static double matmulPeak(NDManager manager, Consumer<String> log) {
        double flops = MatmulPeak.measure(manager, 1024, 10);
        log.accept(String.format("DJL matmul 1024² peak: %.1f GFLOP/s", flops / 1e9));
        return flops;
    }

    private static double median(List<Double> values) {
        var sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
