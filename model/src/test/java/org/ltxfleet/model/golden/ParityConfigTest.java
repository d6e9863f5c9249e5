package org.ltxfleet.model.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.model.nn.Tensors;
import org.ltxfleet.model.parity.Comparison;
import org.ltxfleet.model.parity.Parity;
import org.ltxfleet.model.parity.TransformerParity;
import org.ltxfleet.model.safetensors.DType;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.safetensors.SafetensorsWriter;
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
 * {@code ./fleet parity} takes the model's depth and widths from the golden folder's
 * {@code weights.safetensors} metadata ({@code config} → {@code transformer}, as a real checkpoint
 * carries them) instead of assuming the shared golden's 2 blocks of 2 heads × 32, for the
 * transformer folder and for the LoRA folder (whose base is its sibling {@code transformer} folder,
 * and whose rank comes from its own file).
 *
 * <p>We cannot run the official Python code here, so the folders are generated: weights with the
 * real checkpoint key names and the shared golden's {@code config} section with only
 * {@code num_layers}, {@code num_attention_heads}, {@code attention_head_dim} and
 * {@code cross_attention_dim} changed; inputs copied in name, shape and value from the shared
 * golden's cases (the text contexts redrawn at the new width); and reference outputs computed by
 * OUR OWN model in float32 (the LoRA's by fusing {@code W + s·B·A} in Java into the base weights).
 * So these tests check that parity reads the config (depth, heads, head width, STG block, LoRA
 * rank), NOT the numerics: those are checked against the official code by the real golden
 * ({@link TransformerGoldenTest}, {@link LoraGoldenTest}).
 *
 * <p>STG block: the reference perturbs LTX-2.3's default block 28 clamped to the depth (the shared
 * golden's README: "block 28 in the real 48-block model → block 1 here", the last of its 2), so the
 * generated references skip {@code min(28, depth − 1)}: block 2 of 3 and block 0 of 1 (and a
 * config of 30 or 48 blocks reads as block 28, not the last).
 */
class ParityConfigTest {

    /** LTX-2.3's STG block (LTX_2_3_PARAMS), clamped to the depth as the shared golden did. */
    private static final int LTX23_STG_BLOCK = 28;
    private static final int LORA_RANK = 2;
    private static final List<String> CASES = List.of("caseA", "caseB");

    @Test
    void theSharedGoldensConfigIsTheOneItsReadmeGives() throws IOException {
        assumeTrue(Files.isDirectory(TransformerGoldenTest.DIR), "no golden data at " + TransformerGoldenTest.DIR);
        var config = TransformerParity.config(TransformerGoldenTest.DIR);
        assertThat(config.blocks()).isEqualTo(2);
        assertThat(config.heads()).isEqualTo(2);
        assertThat(config.headDim()).isEqualTo(32);
        assertThat(config.latentChannels()).isEqualTo(128);
        assertThat(config.gatedAttention()).isTrue();
        assertThat(config.crossAttentionAdaln()).isTrue();
        assertThat(config.stgBlock()).as("the README's 'block 1 here'").isEqualTo(1);
    }

    @Test
    void threeBlocksOfFourHeadsBySixteenPass(@TempDir Path dir) throws IOException {
        assertParityPasses(dir, 3, 4, 16);
    }

    @Test
    void oneBlockOfOneHeadByFortyEightPasses(@TempDir Path dir) throws IOException {
        assertParityPasses(dir, 1, 1, 48);
    }

    /** STG from 29 blocks up: block 28 (for 30 and 48 not the last); only the config here, a forward of 30 blocks is slow on a CPU. */
    @Test
    void deeperModelsSkipBlock28NotTheirLast(@TempDir Path dir) throws IOException {
        assumeTrue(Files.isDirectory(TransformerGoldenTest.DIR), "no golden data at " + TransformerGoldenTest.DIR);
        for (int blocks : new int[] {29, 30, 48}) {
            Path folder = Files.createDirectories(dir.resolve("depth" + blocks));
            new SafetensorsWriter().metadata("config", configMetadata(blocks, 1, 12))
                    .add("unused", DType.F32, new long[] {1}, new float[] {0}).write(folder.resolve("weights.safetensors"));
            var config = TransformerParity.config(folder);
            assertThat(config.blocks()).isEqualTo(blocks);
            assertThat(config.stgBlock()).as("%d blocks", blocks).isEqualTo(Math.min(LTX23_STG_BLOCK, blocks - 1))
                    .isEqualTo(28);
        }
    }

    @Test
    void weightsWithoutTheConfigSectionAreRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        assumeTrue(Files.isDirectory(TransformerGoldenTest.DIR), "no golden data at " + TransformerGoldenTest.DIR);
        Path root = generate(dir, 3, 4, 16);
        Path weights = root.resolve("ltx23/transformer/weights.safetensors");
        var writer = new SafetensorsWriter();
        try (var reader = SafetensorsReader.open(weights)) {
            for (String name : reader.names()) {
                writer.add(name, DType.F32, reader.info(name).shape(), reader.readFloats(name));
            }
        }
        writer.write(weights);
        for (Path folder : List.of(root, root.resolve("ltx23/transformer"), root.resolve("ltx23/lora"))) {
            assertThatThrownBy(() -> Parity.run(folder)).as(folder.toString())
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(weights.toString())
                    .hasMessageContaining("config.transformer");
        }
    }

    private static void assertParityPasses(Path dir, int blocks, int heads, int headDim) throws IOException {
        assumeTrue(Files.isDirectory(TransformerGoldenTest.DIR), "no golden data at " + TransformerGoldenTest.DIR);
        Path root = generate(dir, blocks, heads, headDim);
        var report = Parity.run(root);
        report.compared().forEach((folder, comparisons) -> comparisons.forEach(c -> System.out.println(folder + " " + c)));
        assertThat(report.compared()).containsOnlyKeys("ltx23/transformer", "ltx23/lora");
        assertThat(report.compared().get("ltx23/transformer")).hasSize(11)
                .allSatisfy(c -> assertThat(c.passed()).as(c.toString()).isTrue())
                .extracting(Comparison::name).contains("caseC perturbed x0 (STG)");
        assertThat(report.compared().get("ltx23/lora")).hasSize(4)
                .allSatisfy(c -> assertThat(c.passed()).as(c.toString()).isTrue());
        assertThat(report.passed()).isTrue();
    }

    /** A golden root with {@code ltx23/transformer} and {@code ltx23/lora} at the given widths (see the class comment). */
    private static Path generate(Path dir, int blocks, int heads, int headDim) throws IOException {
        int width = heads * headDim;
        int stgBlock = Math.min(LTX23_STG_BLOCK, blocks - 1);
        Path root = dir.resolve("golden");
        Path transformerDir = Files.createDirectories(root.resolve("ltx23/transformer"));
        Path loraDir = Files.createDirectories(root.resolve("ltx23/lora"));
        String readme = "Generated by ParityConfigTest: references from our own model, for config reading only.\n";
        Files.writeString(transformerDir.resolve("README.md"), readme);
        Files.writeString(loraDir.resolve("README.md"), readme);
        // The config is built here, not read, so that it does not rely on what is under test.
        var config = TransformerConfig.ltx23().withBlocks(blocks).withHeads(heads, width / heads).withStgBlock(stgBlock);
        try (NDManager manager = NDManager.newBaseManager();
             var shared = SafetensorsReader.open(TransformerGoldenTest.DIR.resolve("golden.safetensors"))) {
            var model = new VideoTransformer(config, LoraSpec.none());
            Weights.initialize(model, manager, 100 + blocks);
            var base = new LinkedHashMap<String, float[]>();
            model.parametersByName().forEach((name, p) -> base.put(name, p.getArray().toFloatArray()));
            writeWeights(model, base, configMetadata(blocks, heads, headDim), transformerDir.resolve("weights.safetensors"));

            // Inputs: the shared golden's, the text contexts redrawn at the new width.
            var inputs = new LinkedHashMap<String, Tensor>();
            var random = new SplittableRandom(blocks * 1000L + width);
            for (String name : shared.names()) {
                if (!name.startsWith("inputs.") && !name.contains(".in.")) {
                    continue;
                }
                var info = shared.info(name);
                long[] shape = info.shape();
                float[] values = shared.readFloats(name);
                if (name.endsWith("context")) {
                    shape = new long[] {shape[0], shape[1], width};
                    values = gaussian(random, (int) (shape[0] * shape[1] * width));
                }
                inputs.put(name, new Tensor(info.dtype(), shape, values));
            }
            // caseA and caseB share the prompt, as in the shared golden.
            inputs.put("caseA.in.context", inputs.get("inputs.context"));
            inputs.put("caseB.in.context", inputs.get("inputs.context"));

            var ropeOutputs = new LinkedHashMap<String, Tensor>();
            var outputs = new LinkedHashMap<String, float[]>();
            for (String c : CASES) {
                RopeTable table = rope(inputs.get(c + ".in.positions"), heads, headDim);
                long[] layout = {1, heads, inputs.get(c + ".in.positions").shape[2], headDim / 2};
                ropeOutputs.put(c + ".out.rope_cos", new Tensor(DType.F32, layout, headsFirst(table.cos(), heads, headDim / 2)));
                ropeOutputs.put(c + ".out.rope_sin", new Tensor(DType.F32, layout, headsFirst(table.sin(), heads, headDim / 2)));
            }
            Tensor context = inputs.get("inputs.context");
            outputs.put("caseA.out.velocity_no_context_mask",
                    model.forward(input(inputs, "caseA", context.values, 5, heads, headDim, manager)).toFloatArray());
            float[] attended = attended(context.values, inputs.get("caseA.in.context_mask").values, width);
            outputs.put("caseA.out.velocity",
                    model.forward(input(inputs, "caseA", attended, attended.length / width, heads, headDim, manager))
                            .toFloatArray());
            var caseB = input(inputs, "caseB", context.values, 5, heads, headDim, manager);
            outputs.put("caseB.out.velocity", model.forward(caseB).toFloatArray());
            Tensor negative = inputs.get("inputs.negative_context");
            NDArray negativeContext = Tensors.create(manager, negative.values, new Shape(negative.shape));
            var passes = GuidedDenoiser.denoise(model, caseB, negativeContext,
                    new GuidanceSettings(30, 3.0, 1.0, Set.of(stgBlock), 0.7, 0));
            outputs.put("caseB.out.denoised_x0", passes.conditional().toFloatArray());
            outputs.put("caseC.out.uncond_x0", passes.unconditional().toFloatArray());
            outputs.put("caseC.out.perturbed_x0", passes.perturbed().toFloatArray());
            outputs.put("caseC.out.guided_x0", passes.guided().toFloatArray());
            // The folder tells the STG block apart: skipping another block gives another perturbed x0.
            int other = stgBlock == blocks - 1 ? stgBlock - 1 : blocks - 1;
            if (other >= 0) {
                float[] elsewhere = GuidedDenoiser.denoise(model, caseB, negativeContext,
                        new GuidanceSettings(30, 3.0, 1.0, Set.of(other), 0.7, 0)).perturbed().toFloatArray();
                assertThat(Comparison.of("STG on block " + other, elsewhere, outputs.get("caseC.out.perturbed_x0"), 1e-3)
                        .passed()).as("skipping block %d instead of %d is visible", other, stgBlock).isFalse();
            }
            inputs.putAll(ropeOutputs);
            writeGolden(inputs, outputs, transformerDir.resolve("golden.safetensors"));

            generateLora(config, base, inputs, attended, heads, headDim, loraDir, dir, manager);
        }
        return root;
    }

    /**
     * {@code ltx23/lora}: a rank-{@value #LORA_RANK} attention LoRA as ltx-trainer saves it (BF16,
     * {@code diffusion_model.} keys, no config of its own) and the velocity of the base with
     * {@code W + s·B·A} fused in Java, at strengths 1 and 0.5.
     */
    private static void generateLora(TransformerConfig config, Map<String, float[]> base, Map<String, Tensor> inputs,
                                     float[] attended, int heads, int headDim, Path loraDir, Path dir,
                                     NDManager manager) throws IOException {
        int width = heads * headDim;
        var random = new SplittableRandom(77 + config.blocks());
        var lora = new SafetensorsWriter();
        var adapters = new LinkedHashMap<String, float[][]>();
        for (int b = 0; b < config.blocks(); b++) {
            for (String attn : List.of("attn1", "attn2")) {
                for (String proj : List.of("to_q", "to_k", "to_v", "to_out.0")) {
                    String layer = "transformer_blocks." + b + "." + attn + "." + proj;
                    float[] a = bf16(gaussian(random, LORA_RANK * width), 1 / Math.sqrt(width));
                    float[] bUp = bf16(gaussian(random, width * LORA_RANK), 0.2);
                    lora.add("diffusion_model." + layer + ".lora_A.weight", DType.BF16, new long[] {LORA_RANK, width}, a);
                    lora.add("diffusion_model." + layer + ".lora_B.weight", DType.BF16, new long[] {width, LORA_RANK}, bUp);
                    adapters.put(layer, new float[][] {a, bUp});
                }
            }
        }
        lora.write(loraDir.resolve("lora_weights.safetensors"));
        var outputs = new LinkedHashMap<String, float[]>();
        for (float strength : new float[] {1f, 0.5f}) {
            var fused = new LinkedHashMap<>(base);
            adapters.forEach((layer, ab) -> fused.put(layer + ".weight",
                    fuse(base.get(layer + ".weight"), ab[0], ab[1], strength, width)));
            var model = new VideoTransformer(config, LoraSpec.none());
            Weights.initialize(model, manager, 1);
            Path file = dir.resolve("fused.safetensors");
            writeWeights(model, fused, null, file);
            Weights.load(model, List.of(file), manager);
            String key = "caseA.out.velocity_lora_strength" + (strength == 1f ? "1p0" : "0p5");
            outputs.put(key, model.forward(input(inputs, "caseA", attended, attended.length / width, heads, headDim,
                    manager)).toFloatArray());
            if (strength == 1f) {
                outputs.put("fused.transformer_blocks.0.attn1.to_q.weight", fused.get("transformer_blocks.0.attn1.to_q.weight"));
            }
        }
        writeGolden(Map.of(), outputs, loraDir.resolve("golden.safetensors"));
    }

    /** The shared golden's {@code config} metadata with the depth and widths replaced. */
    private static String configMetadata(int blocks, int heads, int headDim) throws IOException {
        try (var shared = SafetensorsReader.open(TransformerGoldenTest.DIR.resolve("weights.safetensors"))) {
            var root = (ObjectNode) Json.readTree(shared.metadata().get("config").getBytes(StandardCharsets.UTF_8));
            ((ObjectNode) root.get("transformer")).put("num_layers", blocks).put("num_attention_heads", heads)
                    .put("attention_head_dim", headDim).put("cross_attention_dim", heads * headDim);
            return Json.toString(root);
        }
    }

    /** Base weights under the checkpoint's real names ({@code model.diffusion_model.…}), float32. */
    private static void writeWeights(VideoTransformer model, Map<String, float[]> values, String config, Path file)
            throws IOException {
        var writer = new SafetensorsWriter();
        if (config != null) {
            writer.metadata("config", config).metadata("model_version", "2.3.0-parity-config-test");
        }
        model.parametersByName().forEach((name, p) -> writer.add(Weights.CHECKPOINT_PREFIX + name, DType.F32,
                p.getShape().getShape(), values.get(name)));
        writer.write(file);
    }

    private static void writeGolden(Map<String, Tensor> tensors, Map<String, float[]> outputs, Path file) throws IOException {
        var writer = new SafetensorsWriter();
        tensors.forEach((name, t) -> writer.add(name, t.dtype == DType.I64 ? DType.I64 : DType.F32, t.shape, t.values));
        outputs.forEach((name, values) -> writer.add(name, DType.F32, shapeOf(name, values.length), values));
        writer.write(file);
    }

    private record Tensor(DType dtype, long[] shape, float[] values) {
    }

    /** The reference layout of an output: latents {@code [1, T, 128]}, weights square. */
    private static long[] shapeOf(String name, int elements) {
        if (name.startsWith("fused.")) {
            int width = (int) Math.round(Math.sqrt(elements));
            return new long[] {width, width};
        }
        return new long[] {1, elements / 128, 128};
    }

    private static TransformerInput input(Map<String, Tensor> inputs, String c, float[] context, int contextTokens,
                                          int heads, int headDim, NDManager manager) {
        Tensor latent = inputs.get(c + ".in.latent");
        int tokens = (int) latent.shape[1];
        return new TransformerInput(
                Tensors.create(manager, latent.values, new Shape(latent.shape)),
                Tensors.create(manager, inputs.get(c + ".in.timesteps").values, new Shape(1, tokens)),
                Tensors.create(manager, inputs.get(c + ".in.sigma").values, new Shape(1)),
                Tensors.create(manager, context, new Shape(1, contextTokens, context.length / contextTokens)),
                Rope.of(rope(inputs.get(c + ".in.positions"), heads, headDim), tokens, manager), Set.of());
    }

    /** RoPE on each token's [start, end) midpoint, positions {@code [1, 3, T, 2]}. */
    private static RopeTable rope(Tensor positions, int heads, int headDim) {
        int tokens = (int) positions.shape[2];
        double[][] midpoints = new double[tokens][3];
        for (int axis = 0; axis < 3; axis++) {
            for (int t = 0; t < tokens; t++) {
                int at = (axis * tokens + t) * 2;
                midpoints[t][axis] = (positions.values[at] + positions.values[at + 1]) / 2.0;
            }
        }
        return RopeTable.of(midpoints, heads, headDim, TransformerConfig.ROPE_THETA, TransformerConfig.ROPE_MAX_POSITIONS);
    }

    /** {@code [T][heads][half]} as the reference keeps it, {@code [1][heads][T][half]}. */
    private static float[] headsFirst(float[] values, int heads, int half) {
        int tokens = values.length / (heads * half);
        float[] out = new float[values.length];
        for (int t = 0; t < tokens; t++) {
            for (int h = 0; h < heads; h++) {
                System.arraycopy(values, (t * heads + h) * half, out, (h * tokens + t) * half, half);
            }
        }
        return out;
    }

    /** The context tokens the mask keeps (the text mask as ltx-trainer applies it). */
    private static float[] attended(float[] context, float[] mask, int width) {
        var kept = new ArrayList<Float>();
        for (int s = 0; s < mask.length; s++) {
            if (mask[s] != 0) {
                for (int i = 0; i < width; i++) {
                    kept.add(context[s * width + i]);
                }
            }
        }
        float[] out = new float[kept.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = kept.get(i);
        }
        return out;
    }

    /** {@code W + s·B·A} for W {@code [out, in]}, A {@code [r, in]}, B {@code [out, r]} (square here). */
    private static float[] fuse(float[] w, float[] a, float[] b, float strength, int width) {
        float[] out = w.clone();
        for (int o = 0; o < width; o++) {
            for (int i = 0; i < width; i++) {
                double sum = 0;
                for (int r = 0; r < LORA_RANK; r++) {
                    sum += (double) b[o * LORA_RANK + r] * a[r * width + i];
                }
                out[o * width + i] = (float) (w[o * width + i] + strength * sum);
            }
        }
        return out;
    }

    private static float[] gaussian(SplittableRandom random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) gaussian(random);
        }
        return out;
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /** {@code values · scale} rounded to bfloat16-representable floats (so the BF16 file holds them exactly). */
    private static float[] bf16(float[] values, double scale) {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            int bits = Float.floatToIntBits((float) (values[i] * scale));
            out[i] = Float.intBitsToFloat(bits & 0xFFFF0000);
        }
        return out;
    }
}
