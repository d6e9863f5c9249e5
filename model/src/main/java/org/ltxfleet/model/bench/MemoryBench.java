package org.ltxfleet.model.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.model.transformer.LoraSpec;
import org.ltxfleet.model.transformer.TransformerConfig;

/**
 * Checks {@link MemoryPlan} against a measurement: a real-width ltx-2.3 step (width 4096, 32 heads,
 * 2 blocks, rank 32, 1024 text tokens, synthetic 16-bit weights, the preset's checkpointing and
 * recomputed attention) in a child JVM ({@link MemoryStep}) at three token counts. Per count the
 * measured peak (resident memory at the step's peak less the engine's before any weight was made)
 * is compared with the plan for the same model on this machine (no GPU margin); a + bT + cT² is
 * fitted through the three points. Then the plan, so validated, decides whether every job shape the
 * API accepts fits an 80 GB and a 141 GB card with {@link MemoryPlan#HEADROOM} to spare.
 *
 * <p>The child runs with glibc's mmap threshold at 128 KiB, so that freed tensors leave the
 * process at once and the resident peak is the tensors' peak, not the allocator's high-water mark.
 */
public final class MemoryBench {

    /** Blocks of the measured model: enough for one block's backward pass beside another's checkpoint. */
    public static final int BLOCKS = 2;
    /** Latent frames and tokens per frame (height × width) of the three windows: 512, 1024, 2048 tokens. */
    private static final List<String> WINDOWS = List.of("2×8×16", "2×16×16", "2×16×32");

    private final StepRecipe recipe;
    private final TransformerConfig config;
    private final LoraSpec lora;

    public MemoryBench(StepRecipe recipe) {
        this.recipe = recipe;
        this.config = TransformerConfig.ltx23().withBlocks(BLOCKS);
        this.lora = LoraSpec.attention(MemoryPlan.RANK);
    }

    /** Runs the child, compares and returns the RESULT fields; {@code progress} gets the child's lines. */
    public Map<String, Object> run(Consumer<String> progress) throws IOException, InterruptedException {
        JsonNode child = measure(progress);
        var result = new LinkedHashMap<String, Object>();
        result.put("model", "ltx-2.3 width " + config.hidden() + ", " + config.heads() + " heads, " + BLOCKS
                + " blocks, rank " + lora.rank() + ", " + StepMemory.TEXT_TOKENS + " text tokens, synthetic weights");
        result.put("recipe", recipe.storage().label() + " base, " + recipe.memory().describe());
        long engine = child.path("rss_engine_bytes").asLong();
        result.put("device", child.path("device").asText());
        result.put("rss_engine_bytes", engine);
        result.put("load_s", child.path("load_s").asDouble());
        var points = new ArrayList<Map<String, Object>>();
        double[] tokens = new double[3];
        double[] measured = new double[3];
        int i = 0;
        for (JsonNode step : child.path("steps")) {
            long t = step.path("tokens").asLong();
            long peak = step.path("peak_bytes").asLong() - engine;
            long planned = StepMemory.of(config, lora, recipe, t, StepMemory.TEXT_TOKENS, 0).total();
            var point = new LinkedHashMap<String, Object>();
            point.put("tokens", t);
            point.put("measured_bytes", peak);
            point.put("planned_bytes", planned);
            point.put("measured_over_plan", round(peak / (double) planned));
            if (step.has("gpu_peak_bytes")) {
                long gpu = step.path("gpu_peak_bytes").asLong() - child.path("gpu_engine_bytes").asLong();
                point.put("gpu_measured_bytes", gpu);
                point.put("gpu_measured_over_plan", round(gpu / (double) planned));
            }
            point.put("step_s", round(step.path("step_s").asDouble()));
            points.add(point);
            tokens[i] = t;
            measured[i] = peak;
            i++;
        }
        result.put("points", points);
        double[] planned = new double[3];
        for (int p = 0; p < 3; p++) {
            planned[p] = StepMemory.of(config, lora, recipe, (long) tokens[p], StepMemory.TEXT_TOKENS, 0).total();
        }
        result.put("fit_bytes", fit(quadraticThrough(tokens, measured)));
        result.put("plan_fit_bytes", fit(quadraticThrough(tokens, planned)));
        result.put("matmul_peak_flop_per_s", child.path("matmul_peak_flop_per_s").asDouble());
        result.putAll(cards());
        return result;
    }

    /** The validated plan's verdict for the full 48-block model on each card. */
    private Map<String, Object> cards() {
        var plan = MemoryPlan.ltx23();
        var fields = new LinkedHashMap<String, Object>();
        var largest = MemoryPlan.jobShapes().stream().max(Comparator.comparingLong(TrainingShape::tokens)).orElseThrow();
        StepMemory peak = plan.step(recipe, largest);
        fields.put("largest_job_tokens", largest.tokens());
        fields.put("largest_job_planned_gib", round(peak.total() / (double) (1L << 30)));
        for (Card card : List.of(Card.H100_80GB, Card.H200_141GB)) {
            String key = card == Card.H100_80GB ? "80gb" : "141gb";
            fields.put("fits_" + key, plan.fitsEveryJob(card, recipe));
            fields.put("largest_job_headroom_" + key, round(1 - peak.total() / (double) card.bytes()));
        }
        return fields;
    }

    private JsonNode measure(Consumer<String> progress) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        var command = new ArrayList<>(List.of(java, "-Xmx1g", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), MemoryStep.class.getName(),
                Json.toString(Map.of("transformer", config.toCheckpointMetadata())), Integer.toString(lora.rank()),
                Integer.toString(StepMemory.TEXT_TOKENS), recipe.storage().label(),
                Boolean.toString(recipe.memory().blockCheckpointing()), Boolean.toString(recipe.memory().attentionRecompute()),
                Long.toString(recipe.memory().attentionScoreBudget())));
        command.addAll(WINDOWS);
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("MALLOC_MMAP_THRESHOLD_", "131072");
        Process process = builder.start();
        String result = null;
        try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("RESULT ")) {
                    result = line.substring("RESULT ".length());
                } else if (line.startsWith("window ")) {
                    progress.accept(line);
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0 || result == null) {
            throw new IOException("the measuring process exited with " + exit + " without a RESULT line");
        }
        return Json.readTree(result.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Object> fit(double[] coefficients) {
        var fields = new LinkedHashMap<String, Object>();
        fields.put("a", Math.round(coefficients[0]));
        fields.put("b_per_token", Math.round(coefficients[1]));
        fields.put("c_per_token2", round(coefficients[2]));
        return fields;
    }

    /** {a, b, c} with a + b·x + c·x² = y at the three points (Cramer's rule). */
    static double[] quadraticThrough(double[] x, double[] y) {
        double[][] m = new double[3][];
        for (int i = 0; i < 3; i++) {
            m[i] = new double[] {1, x[i], x[i] * x[i]};
        }
        double det = determinant(m);
        double[] coefficients = new double[3];
        for (int column = 0; column < 3; column++) {
            double[][] replaced = new double[3][];
            for (int i = 0; i < 3; i++) {
                replaced[i] = m[i].clone();
                replaced[i][column] = y[i];
            }
            coefficients[column] = determinant(replaced) / det;
        }
        return coefficients;
    }

    private static double determinant(double[][] m) {
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
