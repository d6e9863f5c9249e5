package org.ltxfleet.model.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ltxfleet.model.latent.TextFeatures;
import org.ltxfleet.model.nn.Tensors;
import org.ltxfleet.model.safetensors.CheckpointConfig;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.sampling.GuidanceSettings;
import org.ltxfleet.model.sampling.GuidedDenoiser;
import org.ltxfleet.model.transformer.LoraSpec;
import org.ltxfleet.model.transformer.Rope;
import org.ltxfleet.model.transformer.RopeTable;
import org.ltxfleet.model.transformer.TransformerConfig;
import org.ltxfleet.model.transformer.TransformerInput;
import org.ltxfleet.model.transformer.VideoTransformer;
import org.ltxfleet.model.transformer.Weights;

/**
 * Our video transformer and guider against reference tensors laid out as
 * {@code golden/ltx23/transformer} (its README: the LTX-2.3 structure at reduced widths, cases A
 * (a plain step), B (three appended keyframes) and C (the guider on B's state)). The depth and
 * widths are the folder's own: its {@code weights.safetensors} carries them as a checkpoint does,
 * in the {@code config} metadata's {@code transformer} section ({@link #config}).
 */
public final class TransformerParity {

    /** The folder's weights, whose metadata also gives the model's config. */
    public static final String WEIGHTS = "weights.safetensors";
    private static final double ROPE = 1e-6;
    private static final double OUTPUT = 1e-4;

    private TransformerParity() {
    }

    /**
     * The reference model's config, read from {@code folder/weights.safetensors}'s {@code config}
     * metadata ({@code transformer} section: num_layers, num_attention_heads, attention_head_dim,
     * in_channels, cross_attention_dim, …; everything it leaves out is LTX-2.3's). The STG block is
     * LTX-2.3's default (28) clamped to the depth, as the reference's README states for its own
     * ("block 28 in the real 48-block model → block 1 here", the last of 2 blocks): a model of 29
     * blocks or fewer skips its last block, a deeper one block 28. Fails naming the file when it
     * has no such section or one this port cannot compute.
     */
    public static TransformerConfig config(Path folder) throws IOException {
        Path weights = folder.resolve(WEIGHTS);
        if (!Files.isRegularFile(weights)) {
            throw new IOException("no " + weights + ": the reference model's weights, whose metadata gives its config");
        }
        String json = CheckpointConfig.withSection(List.of(weights), "transformer");
        if (json == null) {
            throw new IOException(weights + " carries no config.transformer section in its safetensors metadata "
                    + "(the reference model's depth and widths, as a real LTX checkpoint carries them)");
        }
        try {
            return TransformerConfig.fromCheckpointMetadata(json).withName("golden");
        } catch (RuntimeException e) {
            throw new IOException(weights + ": its config.transformer metadata: " + e.getMessage(), e);
        }
    }

    /** Every comparison the folder's tensors allow, with the model its weights' metadata describes. */
    public static List<Comparison> run(Path folder) throws IOException {
        TransformerConfig config = config(folder);
        var results = new ArrayList<Comparison>();
        try (var golden = SafetensorsReader.open(folder.resolve("golden.safetensors"));
             NDManager manager = NDManager.newBaseManager()) {
            for (String c : List.of("caseA", "caseB")) {
                RopeTable table = rope(golden, c, config);
                results.add(Comparison.of(c + " rope cos", ReferenceLayouts.headsFirst(table, table.cos(), 1),
                        golden.readFloats(c + ".out.rope_cos"), ROPE));
                results.add(Comparison.of(c + " rope sin", ReferenceLayouts.headsFirst(table, table.sin(), 1),
                        golden.readFloats(c + ".out.rope_sin"), ROPE));
            }
            var model = new VideoTransformer(config, LoraSpec.none());
            Weights.load(model, List.of(folder.resolve(WEIGHTS)), manager);
            results.add(Comparison.of("caseA velocity (no text mask)", model.forward(input(model, golden, "caseA", manager))
                    .toFloatArray(), golden.readFloats("caseA.out.velocity_no_context_mask"), OUTPUT));
            results.add(Comparison.of("caseA velocity (text mask, as ltx-trainer)", maskedVelocity(model, golden, manager),
                    golden.readFloats("caseA.out.velocity"), OUTPUT));
            results.add(Comparison.of("caseB velocity (3 keyframes)", model.forward(input(model, golden, "caseB", manager))
                    .toFloatArray(), golden.readFloats("caseB.out.velocity"), OUTPUT));
            results.addAll(guidance(model, golden, manager));
        }
        return results;
    }

    /** caseC: LTX-2.3's guider defaults (cfg 3, STG 1 on block 28 clamped to the depth, rescale 0.7) on caseB's state. */
    private static List<Comparison> guidance(VideoTransformer model, SafetensorsReader golden, NDManager manager)
            throws IOException {
        var settings = new GuidanceSettings(30, 3.0, 1.0, Set.of(model.config().stgBlock()), 0.7, 0);
        NDArray negative = Tensors.create(manager, golden.readFloats("inputs.negative_context"),
                new Shape(golden.info("inputs.negative_context").shape()));
        var passes = GuidedDenoiser.denoise(model, input(model, golden, "caseB", manager), negative, settings);
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

    private static TransformerInput input(VideoTransformer model, SafetensorsReader golden, String c, NDManager manager)
            throws IOException {
        long[] contextShape = golden.info(c + ".in.context").shape();
        return input(model, golden, c, golden.readFloats(c + ".in.context"), (int) contextShape[1], manager);
    }

    /**
     * The velocity of a case with another text context {@code [1, contextTokens, D]} (a shorter one
     * stands for a text mask that hides the last tokens, which our forward does not take).
     */
    public static float[] velocity(VideoTransformer model, SafetensorsReader golden, String c, float[] context,
                                   int contextTokens, NDManager manager) throws IOException {
        return model.forward(input(model, golden, c, context, contextTokens, manager)).toFloatArray();
    }

    /**
     * caseA's velocity with its text mask, through the path training takes: {@link TextFeatures}
     * with a mask, attended tokens only ({@link TextFeatures#attended()}).
     */
    public static float[] maskedVelocity(VideoTransformer model, SafetensorsReader golden, NDManager manager)
            throws IOException {
        float[] stored = golden.readFloats("caseA.in.context_mask");
        boolean[] mask = new boolean[stored.length];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = stored[i] != 0;
        }
        float[] context = golden.readFloats("caseA.in.context");
        var attended = new TextFeatures(mask.length, context.length / mask.length, context, mask).attended();
        return velocity(model, golden, "caseA", attended.data(), attended.tokens(), manager);
    }

    private static TransformerInput input(VideoTransformer model, SafetensorsReader golden, String c, float[] context,
                                          int contextTokens, NDManager manager) throws IOException {
        int tokens = tokens(golden, c);
        return new TransformerInput(
                Tensors.create(manager, golden.readFloats(c + ".in.latent"), new Shape(golden.info(c + ".in.latent").shape())),
                Tensors.create(manager, golden.readFloats(c + ".in.timesteps"), new Shape(1, tokens)),
                Tensors.create(manager, golden.readFloats(c + ".in.sigma"), new Shape(1)),
                Tensors.create(manager, context, new Shape(1, contextTokens, context.length / contextTokens)),
                Rope.of(rope(golden, c, model.config()), tokens, manager), Set.of());
    }

    private static int tokens(SafetensorsReader golden, String c) {
        return (int) golden.info(c + ".in.positions").shape()[2];
    }

    /** The rotary table of a case's positions {@code [1, 3, T, 2]}: each token's [start, end) midpoints. */
    private static RopeTable rope(SafetensorsReader golden, String c, TransformerConfig config) throws IOException {
        float[] bounds = golden.readFloats(c + ".in.positions");
        int tokens = tokens(golden, c);
        double[][] midpoints = new double[tokens][3];
        for (int axis = 0; axis < 3; axis++) {
            for (int t = 0; t < tokens; t++) {
                int at = (axis * tokens + t) * 2;
                midpoints[t][axis] = (bounds[at] + bounds[at + 1]) / 2.0;
            }
        }
        return RopeTable.of(midpoints, config.heads(), config.headDim(), TransformerConfig.ROPE_THETA,
                TransformerConfig.ROPE_MAX_POSITIONS);
    }
}
