package org.ltxfleet.model.lora;

import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.transformer.LoraSpec;

/** Reads a LoRA file in the LTX/ComfyUI layout back into a model's adapters (the inverse of {@link LoraExporter}). */
public final class LoraLoader {

    private LoraLoader() {
    }

    /** The adapter layout of a file: its rank, and whether the feed-forward layers are adapted too. */
    public static LoraSpec spec(Path file) throws IOException {
        try (var reader = SafetensorsReader.open(file)) {
            int rank = reader.names().stream().filter(n -> n.endsWith(".lora_A.weight")).findFirst()
                    .map(n -> (int) reader.info(n).shape()[0])
                    .orElseThrow(() -> new IOException(file + " holds no lora_A tensors"));
            return new LoraSpec(rank, reader.names().stream().anyMatch(n -> n.contains(".ff.net.")));
        }
    }

    /** Sets every adapter of {@code parameters} (checkpoint names) from the file; returns how many tensors were read. */
    public static int load(Map<String, Parameter> parameters, Path file) throws IOException {
        int loaded = 0;
        try (var reader = SafetensorsReader.open(file)) {
            for (String key : reader.names()) {
                if (!key.startsWith(LoraExporter.PREFIX) || !key.endsWith(".weight")) {
                    continue;
                }
                String name = key.substring(LoraExporter.PREFIX.length(), key.length() - ".weight".length());
                Parameter parameter = parameters.get(name);
                if (parameter == null) {
                    throw new IOException(file + ": " + key + " names no adapter of this model");
                }
                long[] expected = parameter.getShape().getShape();
                if (!Arrays.equals(expected, reader.info(key).shape())) {
                    throw new IOException(file + ": " + key + " has shape " + Arrays.toString(reader.info(key).shape())
                            + ", the model's adapter has " + Arrays.toString(expected));
                }
                parameter.getArray().set(reader.readFloats(key));
                loaded++;
            }
        }
        if (loaded == 0) {
            throw new IOException(file + " holds no adapters in the diffusion_model.<layer>.lora_A/B.weight layout");
        }
        return loaded;
    }
}
