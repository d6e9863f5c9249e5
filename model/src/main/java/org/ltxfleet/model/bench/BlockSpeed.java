package org.ltxfleet.model.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.ltxfleet.common.job.AspectRatio;
import org.ltxfleet.common.job.Bucket;
import org.ltxfleet.common.job.Resolution;
import org.ltxfleet.model.nn.BackwardTape;
import org.ltxfleet.model.nn.GradMode;
import org.ltxfleet.model.nn.Noise;
import org.ltxfleet.model.nn.Scopes;
import org.ltxfleet.model.nn.Tensors;
import org.ltxfleet.model.nn.WeightStorage;
import org.ltxfleet.model.training.KeyframeObjective;
import org.ltxfleet.model.training.TrainingMemory;
import org.ltxfleet.model.transformer.KeyframeLayout;
import org.ltxfleet.model.transformer.LoraSpec;
import org.ltxfleet.model.transformer.TransformerConfig;
import org.ltxfleet.model.transformer.TransformerInput;
import org.ltxfleet.model.transformer.VideoTransformer;
import org.ltxfleet.model.transformer.Weights;

/**
 * The compute rate of one real-width ltx-2.3 block as a checkpointed training step runs it: the
 * forward pass without a graph (keeping only the input), the same forward again with one, and its
 * backward pass from an upstream gradient with attention differentiated by recomputation. The
 * FLOPs those three executed ({@link FlopCount#checkpointedBlock}) over the best seconds of
 * {@code repeats} are compared with DJL's square float32 matmul in the same process: the ratio says
 * how much of the engine's dense rate the block's glue (norms, GELU, modulation, chunking, copies)
 * leaves. Synthetic 16-bit weights, rank 32, 1024 text tokens, the ltx-2.3 preset's chunk budget.
 */
public final class BlockSpeed {

    /**
     * An assumption, not a measurement: the float32 matmul rate DJL would reach on an H100 SXM with
     * TF32 on, 60 % of its 495 TFLOP/s dense TF32 figure (docs/GPU.md §4).
     */
    public static final double H100_TF32_MATMUL_FLOPS = 300e12;
    /** The API's default job (medium 1:1, 89 frames, 3 keyframes) and its largest (high 1:1, 121 frames). */
    static final TrainingShape DEFAULT_JOB = new TrainingShape(
            Bucket.of(Resolution.MEDIUM, AspectRatio.SQUARE),
            89, MemoryPlan.KEYFRAMES);
    static final TrainingShape LARGEST_JOB = new TrainingShape(
            Bucket.of(Resolution.HIGH, AspectRatio.SQUARE),
            121, MemoryPlan.KEYFRAMES);

    private final long tokens;
    private final int repeats;

    /** {@code tokens} must be a multiple of 512 (windows of 2 latent frames and 2 keyframes, 16 tokens wide). */
    public BlockSpeed(long tokens, int repeats) {
        if (tokens % 512 != 0 || tokens <= 0) {
            throw new IllegalArgumentException("tokens must be a positive multiple of 512, got " + tokens);
        }
        this.tokens = tokens;
        this.repeats = repeats;
    }

    public Map<String, Object> run(Consumer<String> progress) {
        var config = TransformerConfig.ltx23().withBlocks(1);
        var lora = LoraSpec.attention(MemoryPlan.RANK);
        TrainingMemory memory = TrainingMemory.ltx23();
        var result = new LinkedHashMap<String, Object>();
        try (NDManager manager = NDManager.newBaseManager()) {
            var model = new VideoTransformer(config, lora);
            Weights.initializeSynthetic(model, Weights.upload(model, manager, WeightStorage.FLOAT16), 1);
            model.freezeBase();
            model.attentionKernel(memory.kernel());
            int height = 16;
            int width = (int) (tokens / 4 / height);
            var example = MemoryStep.example(config, 2, height, width, StepMemory.TEXT_TOKENS);
            var prepared = KeyframeObjective.prepare(model, example, KeyframeLayout.APPENDED, 0.5,
                    Noise.gaussian(5, example.video().tokens() * example.video().channels()), manager);
            var in = prepared.input();
            VideoTransformer.Prologue prologue;
            try (GradMode off = GradMode.off()) {
                prologue = model.prologue(in);
            }
            NDArray x = prologue.tokens();
            NDArray upstream = Tensors.create(manager, Noise.gaussian(6, Math.toIntExact(x.size())), x.getShape());
            double best = Double.MAX_VALUE;
            for (int i = 0; i <= repeats; i++) {
                long start = System.nanoTime();
                forwardAndBackward(model, x, prologue, in, upstream, memory);
                double seconds = (System.nanoTime() - start) / 1e9;
                progress.accept(String.format(Locale.ROOT, "%s: %.1f s", i == 0 ? "warm-up" : "repeat " + i, seconds));
                if (i > 0) {
                    best = Math.min(best, seconds);
                }
            }
            double flops = FlopCount.checkpointedBlock(config, tokens, StepMemory.TEXT_TOKENS, lora.rank());
            double peak = MatmulPeak.measure(manager, config.hidden(), 3);
            result.put("block", "ltx-2.3 width " + config.hidden() + ", " + config.heads() + " heads, rank " + lora.rank());
            result.put("tokens", tokens);
            result.put("text_tokens", StepMemory.TEXT_TOKENS);
            result.put("recipe", memory.describe());
            result.put("seconds", round(best));
            result.put("executed_gflop", round(flops / 1e9));
            result.put("block_flop_per_s", round(flops / best));
            result.put("matmul_peak_flop_per_s", round(peak));
            result.put("block_over_matmul_peak", round(flops / best / peak));
            result.put("cpu_threads", JniUtils.getNumThreads());
            double ratio = flops / best / peak;
            var full = TransformerConfig.ltx23();
            for (TrainingShape job : List.of(DEFAULT_JOB, LARGEST_JOB)) {
                double stepFlops = FlopCount.checkpointedStep(full, job.tokens(), StepMemory.TEXT_TOKENS, lora.rank());
                String name = job == DEFAULT_JOB ? "default_job" : "largest_job";
                result.put("step_tflop_" + name, round(stepFlops / 1e12));
                result.put("h100_s_per_step_" + name, round(stepFlops / (H100_TF32_MATMUL_FLOPS * ratio)));
            }
        }
        return result;
    }

    /** What a checkpointed step does with one block: forward without a graph, again with one, backward. */
    private static void forwardAndBackward(VideoTransformer model, NDArray x, VideoTransformer.Prologue prologue,
                                           TransformerInput in, NDArray upstream,
                                           TrainingMemory memory) {
        try (GradMode off = GradMode.off()) {
            Scopes.scoped(() -> model.block(0, x, prologue, in, BackwardTape.none(memory.kernel()))).close();
        }
        try (GradMode on = GradMode.on(); NDScope scope = new NDScope();
             BackwardTape tape = BackwardTape.recording(memory.kernel())) {
            NDArray input = x.stopGradient();
            input.setRequiresGradient(true);
            NDArray output = model.block(0, input, prologue, in, tape);
            tape.backward(output, upstream);
            JniUtils.getGradient((PtNDArray) input).getFloat(0, 0, 0);
        }
    }

    private static double round(double value) {
        return value >= 1000 ? Math.round(value) : Math.round(value * 1000) / 1000.0;
    }
}
