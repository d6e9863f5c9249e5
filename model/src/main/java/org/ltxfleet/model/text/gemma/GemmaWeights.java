package org.ltxfleet.model.text.gemma;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.ltxfleet.model.nn.CheckpointLoader;
import org.ltxfleet.model.nn.ParameterUpload;

/**
 * Loads the text decoder from (sharded) Gemma-3 safetensors. The multimodal checkpoint LTX uses stores
 * it under {@code language_model.model.}; text-only checkpoints under {@code model.}; transformers ≥ 4.52
 * and LTX's module under {@code model.language_model.} / {@code model.model.language_model.}. Longer
 * prefixes come first since {@code model.} starts two of the others. Vision tower and projector keys
 * are skipped.
 */
public final class GemmaWeights {

    static final List<String> PREFIXES = List.of("model.model.language_model.", "model.language_model.",
            "language_model.model.", "model.");

    private GemmaWeights() {
    }

    /** Fills every parameter of {@code model} in float32; returns the number of tensors loaded. */
    public static int load(Gemma3TextModel model, List<Path> shards, NDManager manager) throws IOException {
        return CheckpointLoader.load(model.parametersByName(), shards, PREFIXES, "Gemma-3 text model", manager);
    }

    /** Fills every parameter through {@code upload} (16-bit matrices where it says so). */
    public static int load(Gemma3TextModel model, List<Path> shards, ParameterUpload upload) throws IOException {
        return CheckpointLoader.load(model.parametersByName(), shards, PREFIXES, "Gemma-3 text model", upload);
    }
}
