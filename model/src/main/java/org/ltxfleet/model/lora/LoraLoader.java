package org.ltxfleet.model.lora;

import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.transformer.LoraSpec;

/**
 * Reads a LoRA file into a model's adapters as ltx-pipelines and ComfyUI read the files LTX's trainer
 * writes (and {@link LoraExporter}): {@code diffusion_model.<layer>.lora_A.weight [rank, in]} and
 * {@code …lora_B.weight [out, rank]}, the prefix optional, applied as {@code W + strength·B·A}; any
 * other tensor ({@code .alpha} included) is ignored, as ltx-core does. The trainer always trains the
 * audio+video model, so its files also adapt the audio stream, which our video-only model lacks:
 * those adapters are skipped.
 */
public final class LoraLoader {

    private static final String A = ".lora_A.weight";
    private static final String B = ".lora_B.weight";

    private LoraLoader() {
    }

    /** The adapter layout of a file: its rank, and whether the feed-forward layers are adapted too. */
    public static LoraSpec spec(Path file) throws IOException {
        try (var reader = SafetensorsReader.open(file)) {
            var video = reader.names().stream().filter(n -> adapterName(n) != null && !audioStream(adapterName(n)))
                    .toList();
            int rank = video.stream().filter(n -> n.endsWith(A)).findFirst()
                    .map(n -> (int) reader.info(n).shape()[0])
                    .orElseThrow(() -> new IOException(file + " holds no lora_A tensors of the video stream"));
            return new LoraSpec(rank, video.stream().anyMatch(n -> n.contains(".ff.net.")));
        }
    }

    /** Sets every adapter of {@code parameters} (checkpoint names) from the file at strength 1. */
    public static int load(Map<String, Parameter> parameters, Path file) throws IOException {
        return load(parameters, file, 1f);
    }

    /**
     * Sets every adapter of {@code parameters} (checkpoint names) from the file, B scaled by
     * {@code strength} (ltx-pipelines' LoRA strength); returns how many tensors were read.
     */
    public static int load(Map<String, Parameter> parameters, Path file, float strength) throws IOException {
        int loaded = 0;
        try (var reader = SafetensorsReader.open(file)) {
            for (String key : reader.names()) {
                String name = adapterName(key);
                if (name == null || audioStream(name)) {
                    continue;
                }
                Parameter parameter = parameters.get(name);
                if (parameter == null) {
                    throw new IOException(file + ": " + key + " names no adapter of this model");
                }
                long[] expected = parameter.getShape().getShape();
                if (!Arrays.equals(expected, reader.info(key).shape())) {
                    throw new IOException(file + ": " + key + " has shape " + Arrays.toString(reader.info(key).shape())
                            + ", the model's adapter has " + Arrays.toString(expected));
                }
                float[] values = reader.readFloats(key);
                if (key.endsWith(B) && strength != 1f) {
                    for (int i = 0; i < values.length; i++) {
                        values[i] *= strength;
                    }
                }
                parameter.getArray().set(values);
                loaded++;
            }
        }
        if (loaded == 0) {
            throw new IOException(file + " holds no adapters in the [diffusion_model.]<layer>.lora_A/B.weight layout");
        }
        return loaded;
    }

    /** {@code [diffusion_model.]<layer>.lora_A.weight} → {@code <layer>.lora_A}; null for other tensors. */
    static String adapterName(String key) {
        if (!key.endsWith(A) && !key.endsWith(B)) {
            return null;
        }
        String name = key.startsWith(LoraExporter.PREFIX) ? key.substring(LoraExporter.PREFIX.length()) : key;
        return name.substring(0, name.length() - ".weight".length());
    }

    /** Whether a layer belongs to the audio stream ({@code audio_attn1}, {@code video_to_audio_attn}, …). */
    static boolean audioStream(String name) {
        return Arrays.stream(name.split("\\.")).anyMatch(segment -> segment.contains("audio"));
    }
}
