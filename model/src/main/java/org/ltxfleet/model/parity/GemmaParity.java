package org.ltxfleet.model.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.text.gemma.AttentionMask;
import org.ltxfleet.model.text.gemma.Gemma3Config;
import org.ltxfleet.model.text.gemma.Gemma3TextModel;
import org.ltxfleet.model.text.gemma.GemmaInput;
import org.ltxfleet.model.text.gemma.GemmaWeights;
import org.ltxfleet.model.text.gemma.LayerType;
import org.ltxfleet.model.text.gemma.RotaryTable;

/**
 * Our Gemma-3 text decoder against reference tensors laid out as {@code golden/gemma3} (its README:
 * transformers' Gemma3TextModel at 4 layers of 48, cases case10 and case16, left-padded). Per case:
 * positions, RoPE tables and masks of both layer types, each layer's attention and MLP outputs, the
 * last layer's output before the norm, and the 5 returned hidden states (pad positions included: our
 * attention gives 0 for a query with no allowed key, as torch's SDPA does).
 */
public final class GemmaParity {

    /** The README's float32 tolerance for RoPE tables (Java's cos may differ from torch's by an ulp). */
    private static final double ROPE = 2e-7;
    /** The README's tolerance for a float32 port's hidden states and debug tensors. */
    private static final double HIDDEN = 1e-4;
    private static final List<String> CASES = List.of("case10", "case16");

    private GemmaParity() {
    }

    /** Every comparison the folder's tensors allow. */
    public static List<Comparison> run(Path folder) throws IOException {
        var results = new ArrayList<Comparison>();
        try (var golden = SafetensorsReader.open(folder.resolve("golden.safetensors"));
             NDManager manager = NDManager.newBaseManager()) {
            var model = load(folder, manager);
            for (String c : CASES) {
                results.addAll(compareCase(model, golden, c, manager));
            }
        }
        return results;
    }

    /**
     * Our decoder's hidden states for a case of the folder, stacked {@code [states, B, T, D]} as LTX's
     * feature extractor takes them, and the case's attention mask.
     */
    public static Encoded encode(Path folder, String c, NDManager manager) throws IOException {
        try (var golden = SafetensorsReader.open(folder.resolve("golden.safetensors"))) {
            GemmaInput input = input(golden, c);
            List<NDArray> states = load(folder, manager).hiddenStates(input, manager, (name, value) -> { });
            return new Encoded(NDArrays.stack(new NDList(states), 0), input.attentionMask());
        }
    }

    /** The folder's decoder: config from the weights' metadata, then the weights. */
    private static Gemma3TextModel load(Path folder, NDManager manager) throws IOException {
        Path weights = folder.resolve("weights.safetensors");
        Gemma3Config config;
        try (var reader = SafetensorsReader.open(weights)) {
            config = Gemma3Config.fromCheckpointMetadata(reader.metadata());
        }
        var model = new Gemma3TextModel(config);
        GemmaWeights.load(model, List.of(weights), manager);
        return model;
    }

    private static GemmaInput input(SafetensorsReader golden, String c) throws IOException {
        return new GemmaInput(ReferenceLayouts.ints(golden, c + ".in.input_ids"),
                ReferenceLayouts.ints(golden, c + ".in.attention_mask"));
    }

    /** Hidden states {@code [states, B, T, D]} and the attention mask {@code [B][T]} they were made with. */
    public record Encoded(NDArray hiddenStates, int[][] attentionMask) {
    }

    private static List<Comparison> compareCase(Gemma3TextModel model, SafetensorsReader golden, String c,
                                                NDManager parent) throws IOException {
        Gemma3Config config = model.config();
        GemmaInput input = input(golden, c);
        int tokens = input.tokens();
        var results = new ArrayList<Comparison>();
        float[] positions = new float[tokens];
        for (int t = 0; t < tokens; t++) {
            positions[t] = t;
        }
        results.add(Comparison.of(c + " position ids", positions, golden.readFloats(c + ".in.position_ids"), 0));
        for (LayerType type : LayerType.values()) {
            String prefix = c + ".debug.rope." + type.configName();
            RotaryTable table = RotaryTable.of(config.rope(type), config.headDim(), tokens);
            results.add(Comparison.of(c + " rope " + type.configName() + " inv_freq", table.inverseFrequencies(),
                    golden.readFloats(prefix + ".inv_freq"), ROPE));
            results.add(Comparison.of(c + " rope " + type.configName() + " cos", table.cos(),
                    golden.readFloats(prefix + ".cos"), ROPE));
            results.add(Comparison.of(c + " rope " + type.configName() + " sin", table.sin(),
                    golden.readFloats(prefix + ".sin"), ROPE));
            results.add(Comparison.of(c + " mask " + type.configName(),
                    AttentionMask.of(input.attentionMask(), type, config.slidingWindow()).toFloats(),
                    golden.readFloats(c + ".debug.mask." + type.configName()), 0));
        }
        try (NDManager manager = parent.newSubManager()) {
            Map<String, float[]> seen = new HashMap<>();
            List<NDArray> states = model.hiddenStates(input, manager, (name, value) ->
                    seen.put(name, value.toFloatArray()));
            for (int i = 0; i < config.layers(); i++) {
                for (String part : List.of("attn_out", "mlp_out")) {
                    String name = "layer" + i + "." + part;
                    results.add(Comparison.of(c + " " + name, seen.get(name), golden.readFloats(c + ".debug." + name),
                            HIDDEN));
                }
            }
            results.add(Comparison.of(c + " last layer before norm", seen.get("last_layer_output_before_norm"),
                    golden.readFloats(c + ".debug.last_layer_output_before_norm"), HIDDEN));
            float[] expected = golden.readFloats(c + ".out.hidden_states");
            int size = expected.length / states.size();
            for (int s = 0; s < states.size(); s++) {
                results.add(Comparison.of(c + " hidden state " + s, states.get(s).toFloatArray(),
                        Arrays.copyOfRange(expected, s * size, (s + 1) * size), HIDDEN));
            }
        }
        return results;
    }
}
