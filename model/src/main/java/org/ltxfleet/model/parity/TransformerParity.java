package org.ltxfleet.model.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.ltxfleet.model.nn.Tensors;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.sampling.GuidanceSettings;
import org.ltxfleet.model.sampling.GuidedDenoiser;
import org.ltxfleet.model.transformer.KeyframeLayout;
import org.ltxfleet.model.transformer.LoraSpec;
import org.ltxfleet.model.transformer.Rope;
import org.ltxfleet.model.transformer.RopeTable;
import org.ltxfleet.model.transformer.TransformerConfig;
import org.ltxfleet.model.transformer.TransformerInput;
import org.ltxfleet.model.transformer.VideoTransformer;
import org.ltxfleet.model.transformer.Weights;

/**
 * Our video transformer and guider against reference tensors laid out as
 * {@code golden/ltx23/transformer} (its README: the LTX-2.3 structure at 2 blocks of 2 × 32, cases A
 * (a plain step), B (three appended keyframes) and C (the guider on B's state)).
 */
public final class TransformerParity {

    /** The reference's config: the 2.3 checkpoint's with 2 blocks of 2 heads × 32. */
    public static final TransformerConfig CONFIG = new TransformerConfig("golden", 2, 2, 32, 128, 4, true, true, 1, 8,
            KeyframeLayout.APPENDED);
    private static final double ROPE = 1e-6;
    private static final double OUTPUT = 1e-4;

    private TransformerParity() {
    }

    /** Every comparison the folder's tensors allow. */
    public static List<Comparison> run(Path folder) throws IOException {
        var results = new ArrayList<Comparison>();
        try (var golden = SafetensorsReader.open(folder.resolve("golden.safetensors"));
             NDManager manager = NDManager.newBaseManager()) {
            for (String c : List.of("caseA", "caseB")) {
                RopeTable table = rope(golden, c);
                results.add(Comparison.of(c + " rope cos", ReferenceLayouts.headsFirst(table, table.cos(), 1),
                        golden.readFloats(c + ".out.rope_cos"), ROPE));
                results.add(Comparison.of(c + " rope sin", ReferenceLayouts.headsFirst(table, table.sin(), 1),
                        golden.readFloats(c + ".out.rope_sin"), ROPE));
            }
            var model = new VideoTransformer(CONFIG, LoraSpec.none());
            Weights.initialize(model, manager, 1);
            Weights.load(model, List.of(folder.resolve("weights.safetensors")), manager);
            results.add(Comparison.of("caseA velocity (no text mask)", model.forward(input(golden, "caseA", manager))
                    .toFloatArray(), golden.readFloats("caseA.out.velocity_no_context_mask"), OUTPUT));
            results.add(Comparison.of("caseA velocity (text mask, as ltx-trainer)", maskedVelocity(model, golden, manager),
                    golden.readFloats("caseA.out.velocity"), OUTPUT));
            results.add(Comparison.of("caseB velocity (3 keyframes)", model.forward(input(golden, "caseB", manager))
                    .toFloatArray(), golden.readFloats("caseB.out.velocity"), OUTPUT));
            results.addAll(guidance(model, golden, manager));
        }
        return results;
    }

    /** caseC: LTX-2.3's guider defaults (cfg 3, STG 1 on the last-but-one block, rescale 0.7) on caseB's state. */
    private static List<Comparison> guidance(VideoTransformer model, SafetensorsReader golden, NDManager manager)
            throws IOException {
        var settings = new GuidanceSettings(30, 3.0, 1.0, Set.of(CONFIG.stgBlock()), 0.7, 0);
        NDArray negative = Tensors.create(manager, golden.readFloats("inputs.negative_context"),
                new Shape(golden.info("inputs.negative_context").shape()));
        var passes = GuidedDenoiser.denoise(model, input(golden, "caseB", manager), negative, settings);
        return List.of(
                Comparison.of("caseB denoised x0", passes.conditional().toFloatArray(),
                        golden.readFloats("caseB.out.denoised_x0"), OUTPUT),
                Comparison.of("caseC unconditional x0", passes.unconditional().toFloatArray(),
                        golden.readFloats("caseC.out.uncond_x0"), OUTPUT),
                Comparison.of("caseC perturbed x0 (STG)", passes.perturbed().toFloatArray(),
                        golden.readFloats("caseC.out.perturbed_x0"), OUTPUT),
                Comparison.of("caseC guided x0", passes.guided().toFloatArray(),
                        golden.readFloats("caseC.out.guided_x0"), OUTPUT));
    }

    private static TransformerInput input(SafetensorsReader golden, String c, NDManager manager) throws IOException {
        long[] contextShape = golden.info(c + ".in.context").shape();
        return input(golden, c, golden.readFloats(c + ".in.context"), (int) contextShape[1], manager);
    }

    /**
     * The velocity of a case with another text context {@code [1, contextTokens, D]} (a shorter one
     * stands for a text mask that hides the last tokens, which our forward does not take).
     */
    public static float[] velocity(VideoTransformer model, SafetensorsReader golden, String c, float[] context,
                                   int contextTokens, NDManager manager) throws IOException {
        return model.forward(input(golden, c, context, contextTokens, manager)).toFloatArray();
    }

    /**
     * caseA's velocity with its text mask. Our forward takes no mask; caseA's hides only trailing
     * tokens ([1,1,1,1,0]), and a key whose score gets −max adds exactly 0 to every softmax, so the
     * masked velocity is that of the context without those tokens.
     */
    public static float[] maskedVelocity(VideoTransformer model, SafetensorsReader golden, NDManager manager)
            throws IOException {
        float[] mask = golden.readFloats("caseA.in.context_mask");
        int kept = 0;
        while (kept < mask.length && mask[kept] == 1) {
            kept++;
        }
        for (int i = kept; i < mask.length; i++) {
            if (mask[i] != 0) {
                throw new IllegalArgumentException("caseA's text mask is not ones then zeros: " + Arrays.toString(mask));
            }
        }
        float[] context = golden.readFloats("caseA.in.context");
        int width = context.length / mask.length;
        return velocity(model, golden, "caseA", Arrays.copyOf(context, kept * width), kept, manager);
    }

    private static TransformerInput input(SafetensorsReader golden, String c, float[] context, int contextTokens,
                                          NDManager manager) throws IOException {
        int tokens = tokens(golden, c);
        return new TransformerInput(
                Tensors.create(manager, golden.readFloats(c + ".in.latent"), new Shape(golden.info(c + ".in.latent").shape())),
                Tensors.create(manager, golden.readFloats(c + ".in.timesteps"), new Shape(1, tokens)),
                Tensors.create(manager, golden.readFloats(c + ".in.sigma"), new Shape(1)),
                Tensors.create(manager, context, new Shape(1, contextTokens, context.length / contextTokens)),
                Rope.of(rope(golden, c), tokens, manager), Set.of());
    }

    private static int tokens(SafetensorsReader golden, String c) {
        return (int) golden.info(c + ".in.positions").shape()[2];
    }

    /** The rotary table of a case's positions {@code [1, 3, T, 2]}: each token's [start, end) midpoints. */
    private static RopeTable rope(SafetensorsReader golden, String c) throws IOException {
        float[] bounds = golden.readFloats(c + ".in.positions");
        int tokens = tokens(golden, c);
        double[][] midpoints = new double[tokens][3];
        for (int axis = 0; axis < 3; axis++) {
            for (int t = 0; t < tokens; t++) {
                int at = (axis * tokens + t) * 2;
                midpoints[t][axis] = (bounds[at] + bounds[at + 1]) / 2.0;
            }
        }
        return RopeTable.of(midpoints, CONFIG.heads(), CONFIG.headDim(), TransformerConfig.ROPE_THETA,
                TransformerConfig.ROPE_MAX_POSITIONS);
    }
}
