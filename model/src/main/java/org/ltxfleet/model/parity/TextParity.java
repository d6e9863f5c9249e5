package org.ltxfleet.model.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ltxfleet.model.nn.Tensors;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.text.ltx.TextEmbeddings;
import org.ltxfleet.model.transformer.RopeTable;

/**
 * Our LTX-2.3 text path after Gemma (feature extractor V2, right-pad reordering, video and audio
 * connectors) against reference tensors laid out as {@code golden/ltx23/text} (its README: tiny
 * widths, config in the weights' metadata, input the Gemma hidden states of {@code ../../gemma3}).
 */
public final class TextParity {

    /** The README's float32 tolerance on features, connector states and encodings. */
    private static final double FLOAT32 = 1e-5;
    /** RoPE tables: float32 rounding. */
    private static final double ROPE = 2e-7;
    /** Indices and masks are integers: exact. */
    private static final double EXACT = 0;

    private TextParity() {
    }

    /** The Gemma case whose hidden states are this folder's input. */
    private static final String CHAINED_CASE = "case16";
    private static final double CHAINED = 1e-4;

    /** Every comparison the folder's tensors allow (and the chain from {@code ../../gemma3} when it is there). */
    public static List<Comparison> run(Path folder) throws IOException {
        var results = new ArrayList<Comparison>();
        try (var golden = SafetensorsReader.open(folder.resolve("golden.safetensors"));
             NDManager manager = NDManager.newBaseManager()) {
            long[] shape = golden.info("in.hidden_states").shape(); // [states, B, T, D]
            var model = TextEmbeddings.load(folder.resolve("weights.safetensors"), (int) shape[3], (int) shape[0],
                    manager);
            NDArray states = Tensors.create(manager, golden.readFloats("in.hidden_states"), new Shape(shape));
            int[][] mask = ReferenceLayouts.ints(golden, "in.attention_mask");
            var out = model.process(states, mask);

            results.add(close("normed flat states", out.features().normedFlat(), golden, "debug.normed_flat", FLOAT32));
            results.add(close("video features", out.features().video(), golden, "out.video_features", FLOAT32));
            results.add(close("audio features", out.features().audio(), golden, "out.audio_features", FLOAT32));
            results.add(Comparison.of("right-pad sort indices", flat(out.order()),
                    golden.readFloats("debug.right_pad_sort_idx"), EXACT));
            results.add(Comparison.of("right-padded mask", flat(out.reorderedMask()),
                    golden.readFloats("debug.right_padded_mask"), EXACT));
            results.add(close("video connector input", out.videoConnectorIn(), golden, "debug.video_connector_in",
                    FLOAT32));
            RopeTable rope = model.videoConnector().ropeTable((int) shape[2]);
            int batch = (int) shape[1];
            results.add(Comparison.of("video connector rope cos", ReferenceLayouts.headsFirst(rope, rope.cos(), batch),
                    golden.readFloats("debug.video_rope_cos"), ROPE));
            results.add(Comparison.of("video connector rope sin", ReferenceLayouts.headsFirst(rope, rope.sin(), batch),
                    golden.readFloats("debug.video_rope_sin"), ROPE));
            results.add(close("video connector input with registers", out.video().withRegisters(), golden,
                    "debug.video_connector_in_with_registers", FLOAT32));
            results.add(close("audio connector input with registers", out.audio().withRegisters(), golden,
                    "debug.audio_connector_in_with_registers", FLOAT32));
            for (int i = 0; i < out.video().blockOutputs().size(); i++) {
                results.add(close("video connector block " + i, out.video().blockOutputs().get(i), golden,
                        "debug.video_block" + i + "_out", FLOAT32));
            }
            results.add(close("video encoding", out.videoEncoding(), golden, "out.video_encoding", FLOAT32));
            results.add(close("audio encoding", out.audioEncoding(), golden, "out.audio_encoding", FLOAT32));
            results.add(Comparison.of("encoding attention mask", flat(out.attentionMask()),
                    golden.readFloats("out.attention_mask"), EXACT));
            Path gemma = folder.resolve("../../gemma3").normalize();
            if (Files.isRegularFile(gemma.resolve("golden.safetensors"))) {
                // The whole chain: token ids → our Gemma → features → connector (errors add up: README's 1e-4).
                var encoded = GemmaParity.encode(gemma, CHAINED_CASE, manager);
                var chained = model.process(encoded.hiddenStates(), encoded.attentionMask());
                results.add(close("chain: our Gemma → video encoding", chained.videoEncoding(), golden,
                        "out.video_encoding", CHAINED));
                results.add(close("chain: our Gemma → audio encoding", chained.audioEncoding(), golden,
                        "out.audio_encoding", CHAINED));
            }
        }
        return results;
    }

    private static Comparison close(String name, NDArray ours, SafetensorsReader golden, String key, double tolerance)
            throws IOException {
        return Comparison.of(name, ours.toFloatArray(), golden.readFloats(key), tolerance);
    }

    private static float[] flat(int[][] rows) {
        int cols = rows[0].length;
        float[] out = new float[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = rows[r][c];
            }
        }
        return out;
    }
}
