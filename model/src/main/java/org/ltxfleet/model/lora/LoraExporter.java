package org.ltxfleet.model.lora;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.ltxfleet.model.nn.CheckpointNames;
import org.ltxfleet.model.safetensors.DType;
import org.ltxfleet.model.safetensors.SafetensorsWriter;

/**
 * Writes a model's adapters as the LoRA file LTX tools and ComfyUI load: bf16 tensors named
 * {@code diffusion_model.<layer>.lora_A.weight} {@code [rank, in]} and {@code …lora_B.weight}
 * {@code [out, rank]}, plus metadata strings (rank, alpha, trigger phrase, training type, …).
 */
public final class LoraExporter {

    /** The prefix ComfyUI and LTX's loaders expect before the transformer's own key names. */
    public static final String PREFIX = "diffusion_model.";

    private LoraExporter() {
    }

    /** Writes every adapter under {@code transformer} to {@code file}; returns how many tensors were written. */
    public static int write(Block transformer, Map<String, String> metadata, Path file) throws IOException {
        var writer = new SafetensorsWriter();
        metadata.forEach(writer::metadata);
        int tensors = 0;
        for (var entry : CheckpointNames.of(transformer).entrySet()) {
            String name = entry.getKey();
            if (name.endsWith(".lora_A") || name.endsWith(".lora_B")) {
                Parameter parameter = entry.getValue();
                writer.add(PREFIX + name + ".weight", DType.BF16, parameter.getArray().getShape().getShape(),
                        () -> parameter.getArray().toFloatArray());
                tensors++;
            }
        }
        if (tensors == 0) {
            throw new IllegalArgumentException("the model has no LoRA adapters to export");
        }
        writer.write(file);
        return tensors;
    }
}
