package org.ltxfleet.preprocess.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.ltxfleet.common.job.JobFailedException;
import org.ltxfleet.model.latent.TextFeatures;
import org.ltxfleet.model.safetensors.SafetensorsReader;

/**
 * A clip's caption encoded elsewhere, shipped in the archive as {@code name.safetensors} beside
 * {@code name.mp4}: {@code video_prompt_embeds} {@code [S, D]} or {@code [1, S, D]} (any float type:
 * what the text encoder's connector hands the transformer) and optionally
 * {@code prompt_attention_mask} {@code [S]} or {@code [1, S]} (1 = attend, 0 = padding; absent =
 * all attended). Anything else is refused with a 422 that names the file.
 */
public final class ImportedCaption {

    public static final String EMBEDDINGS = "video_prompt_embeds";
    public static final String MASK = "prompt_attention_mask";
    /** Far above LTX-2.3's 1,024 × 4,096 float32 (16 MiB). */
    public static final long MAX_BYTES = 64L << 20;
    private static final String FIELD = "training_data_url";

    private ImportedCaption() {
    }

    public static TextFeatures read(Path file, String entryName) throws IOException {
        try (var reader = SafetensorsReader.open(file)) {
            if (!reader.names().contains(EMBEDDINGS)) {
                throw refused(entryName, "has no '" + EMBEDDINGS + "' tensor (it has " + reader.names() + ")");
            }
            long[] shape = withoutBatch(reader.info(EMBEDDINGS).shape(), 2, entryName, EMBEDDINGS);
            int tokens = Math.toIntExact(shape[0]);
            int width = Math.toIntExact(shape[1]);
            float[] data = reader.readFloats(EMBEDDINGS);
            for (float value : data) {
                if (!Float.isFinite(value)) {
                    throw refused(entryName, "holds a value that is not finite in '" + EMBEDDINGS + "'");
                }
            }
            return new TextFeatures(tokens, width, data, mask(reader, tokens, entryName));
        } catch (JobFailedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw refused(entryName, "is not a readable safetensors file (" + e.getMessage() + ")");
        }
    }

    private static boolean[] mask(SafetensorsReader reader, int tokens, String entryName) throws IOException {
        if (!reader.names().contains(MASK)) {
            return TextFeatures.allValid(tokens);
        }
        long[] shape = withoutBatch(reader.info(MASK).shape(), 1, entryName, MASK);
        if (shape[0] != tokens) {
            throw refused(entryName, "has a '" + MASK + "' of " + shape[0] + " entries for " + tokens + " tokens");
        }
        float[] values = reader.readFloats(MASK);
        boolean[] mask = new boolean[tokens];
        for (int t = 0; t < tokens; t++) {
            if (values[t] != 0 && values[t] != 1) {
                throw refused(entryName, "has a '" + MASK + "' value " + values[t] + " (only 0 and 1)");
            }
            mask[t] = values[t] == 1;
        }
        if (Arrays.equals(mask, new boolean[tokens])) {
            throw refused(entryName, "masks every token");
        }
        return mask;
    }

    /** The shape with a leading batch of 1 dropped; refused unless it then has {@code rank} dimensions. */
    private static long[] withoutBatch(long[] shape, int rank, String entryName, String tensor) {
        long[] plain = shape.length == rank + 1 && shape[0] == 1 ? Arrays.copyOfRange(shape, 1, shape.length) : shape;
        if (plain.length != rank || Arrays.stream(plain).anyMatch(d -> d < 1)) {
            throw refused(entryName, "has '" + tensor + "' of shape " + Arrays.toString(shape) + "; expected "
                    + (rank == 2 ? "[tokens, width] or [1, tokens, width]" : "[tokens] or [1, tokens]"));
        }
        return plain;
    }

    static JobFailedException refused(String entryName, String why) {
        return JobFailedException.invalidField("invalid_caption_features", FIELD,
                "Caption features " + entryName + " " + why);
    }
}
