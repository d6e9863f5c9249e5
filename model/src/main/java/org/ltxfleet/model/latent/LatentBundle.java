package org.ltxfleet.model.latent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.ltxfleet.model.safetensors.DType;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.safetensors.SafetensorsWriter;

/**
 * The tensors of a latent bundle ({@code datasets/{cache_key}/latents.safetensors}): for training
 * example i, {@code sample.i.video} {@code [C, F, H, W]}, {@code sample.i.keyframe.<pixel frame>}
 * {@code [C, 1, H, W]}, {@code sample.i.caption} {@code [S, D]} and {@code sample.i.caption_mask}
 * {@code [S]} (1 = attended, 0 = padding; absent in bundles written before it: all attended), float32; metadata holds the
 * frame rate, the sample count and the encoders that made it. The {@code manifest.json} beside it
 * describes the samples for people and logs.
 */
public final class LatentBundle {

    public static final String TENSORS = "latents.safetensors";
    public static final String MANIFEST = "manifest.json";
    /** Appended to a text tensor's name for its mask. */
    static final String MASK_SUFFIX = "_mask";

    private LatentBundle() {
    }

    /** Writes examples (all at one frame rate) with metadata. */
    public static void write(List<TrainingExample> examples, Map<String, String> metadata, Path file) throws IOException {
        var writer = new SafetensorsWriter();
        metadata.forEach(writer::metadata);
        writer.metadata("samples", Integer.toString(examples.size()));
        if (!examples.isEmpty()) {
            writer.metadata("fps", Double.toString(examples.get(0).fps()));
        }
        for (int i = 0; i < examples.size(); i++) {
            TrainingExample example = examples.get(i);
            String prefix = "sample." + i + ".";
            add(writer, prefix + "video", example.video());
            for (Keyframe keyframe : example.keyframes()) {
                add(writer, prefix + "keyframe." + keyframe.pixelFrame(), keyframe.latent());
            }
            add(writer, prefix + "caption", example.caption());
        }
        writer.write(file);
    }

    /** Reads every example back. */
    public static List<TrainingExample> read(Path file) throws IOException {
        try (var reader = SafetensorsReader.open(file)) {
            int count = Integer.parseInt(reader.metadata().getOrDefault("samples", "0"));
            double fps = Double.parseDouble(reader.metadata().getOrDefault("fps", "24"));
            var examples = new ArrayList<TrainingExample>();
            for (int i = 0; i < count; i++) {
                String prefix = "sample." + i + ".";
                var keyframes = new ArrayList<Keyframe>();
                for (String name : reader.names()) {
                    if (name.startsWith(prefix + "keyframe.")) {
                        int frame = Integer.parseInt(name.substring((prefix + "keyframe.").length()));
                        keyframes.add(new Keyframe(frame, latent(reader, name)));
                    }
                }
                keyframes.sort(Comparator.comparingInt(Keyframe::pixelFrame));
                examples.add(new TrainingExample(latent(reader, prefix + "video"), keyframes,
                        text(reader, prefix + "caption"), fps));
            }
            return examples;
        }
    }

    static void add(SafetensorsWriter writer, String name, Latent latent) {
        writer.add(name, DType.F32, new long[] {latent.channels(), latent.frames(), latent.height(), latent.width()},
                latent.data());
    }

    static void add(SafetensorsWriter writer, String name, TextFeatures text) {
        writer.add(name, DType.F32, new long[] {text.tokens(), text.width()}, text.data());
        float[] mask = new float[text.tokens()];
        for (int t = 0; t < mask.length; t++) {
            mask[t] = text.mask()[t] ? 1 : 0;
        }
        writer.add(name + MASK_SUFFIX, DType.F32, new long[] {text.tokens()}, mask);
    }

    static Latent latent(SafetensorsReader reader, String name) throws IOException {
        long[] shape = reader.info(name).shape();
        return new Latent((int) shape[0], (int) shape[1], (int) shape[2], (int) shape[3], reader.readFloats(name));
    }

    static TextFeatures text(SafetensorsReader reader, String name) throws IOException {
        long[] shape = reader.info(name).shape();
        int tokens = (int) shape[0];
        boolean[] mask = TextFeatures.allValid(tokens);
        if (reader.names().contains(name + MASK_SUFFIX)) {
            float[] stored = reader.readFloats(name + MASK_SUFFIX);
            for (int t = 0; t < tokens; t++) {
                mask[t] = stored[t] != 0;
            }
        }
        return new TextFeatures(tokens, (int) shape[1], reader.readFloats(name), mask);
    }
}
