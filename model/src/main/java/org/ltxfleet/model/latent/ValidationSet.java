package org.ltxfleet.model.latent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.safetensors.SafetensorsWriter;

/**
 * A job's validation entries, encoded: each entry's keyframes (start, optional middle, end) at
 * their pixel frames in a clip of {@code frames} at {@code fps}, its prompt's features, and the
 * shared negative prompt's. Stored per job ({@code jobs/{id}/validation.safetensors}): validation
 * is a training input, not part of the cached dataset.
 */
public record ValidationSet(List<Entry> entries, TextFeatures negative, int frames, double fps, int width, int height) {

    /** One preview to sample. */
    public record Entry(String prompt, List<Keyframe> keyframes, TextFeatures promptFeatures) {
    }

    public void write(Path file) throws IOException {
        var writer = new SafetensorsWriter();
        writer.metadata("entries", Integer.toString(entries.size()));
        writer.metadata("frames", Integer.toString(frames));
        writer.metadata("fps", Double.toString(fps));
        writer.metadata("width", Integer.toString(width));
        writer.metadata("height", Integer.toString(height));
        LatentBundle.add(writer, "negative", negative);
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            writer.metadata("entry." + i + ".prompt", entry.prompt());
            LatentBundle.add(writer, "entry." + i + ".prompt", entry.promptFeatures());
            for (Keyframe keyframe : entry.keyframes()) {
                LatentBundle.add(writer, "entry." + i + ".keyframe." + keyframe.pixelFrame(), keyframe.latent());
            }
        }
        writer.write(file);
    }

    public static ValidationSet read(Path file) throws IOException {
        try (var reader = SafetensorsReader.open(file)) {
            var meta = reader.metadata();
            int count = Integer.parseInt(meta.get("entries"));
            var entries = new ArrayList<Entry>();
            for (int i = 0; i < count; i++) {
                String prefix = "entry." + i + ".keyframe.";
                var keyframes = new ArrayList<Keyframe>();
                for (String name : reader.names()) {
                    if (name.startsWith(prefix)) {
                        keyframes.add(new Keyframe(Integer.parseInt(name.substring(prefix.length())),
                                LatentBundle.latent(reader, name)));
                    }
                }
                keyframes.sort(Comparator.comparingInt(Keyframe::pixelFrame));
                entries.add(new Entry(meta.get("entry." + i + ".prompt"), keyframes,
                        LatentBundle.text(reader, "entry." + i + ".prompt")));
            }
            return new ValidationSet(entries, LatentBundle.text(reader, "negative"),
                    Integer.parseInt(meta.get("frames")), Double.parseDouble(meta.get("fps")),
                    Integer.parseInt(meta.get("width")), Integer.parseInt(meta.get("height")));
        }
    }
}
