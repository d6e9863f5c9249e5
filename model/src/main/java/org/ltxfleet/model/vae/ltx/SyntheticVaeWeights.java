package org.ltxfleet.model.vae.ltx;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.ltxfleet.model.safetensors.DType;
import org.ltxfleet.model.safetensors.SafetensorsWriter;

/**
 * Seeded VAE weights with the real key names of a config: tests, and reduced checkpoints that run
 * the real code paths without Lightricks' release.
 */
public final class SyntheticVaeWeights {

    private SyntheticVaeWeights() {
    }

    /**
     * Adds weights scaled by 1/√fan-in (so activations stay near unit size) and statistics with the
     * given mean and std under {@code vae.}, and the config as the release's {@code config.vae}.
     */
    public static void add(VaeConfig config, SafetensorsWriter writer, long seed, float statMean, float statStd) {
        for (Map.Entry<String, Shape> entry : LtxVae.parameterShapes(config).entrySet()) {
            String name = entry.getKey();
            Shape shape = entry.getValue();
            int size = Math.toIntExact(shape.size());
            writer.add(LtxVae.CHECKPOINT_PREFIX + name, DType.F32, shape.getShape(), () -> {
                float[] values = new float[size];
                if (name.endsWith("mean-of-means")) {
                    Arrays.fill(values, statMean);
                } else if (name.endsWith("std-of-means")) {
                    Arrays.fill(values, statStd);
                } else {
                    var random = new SplittableRandom(seed ^ name.hashCode());
                    double bound = name.endsWith(".bias") ? 0.05 : Math.sqrt(3.0 / (shape.size() / shape.get(0)));
                    for (int i = 0; i < size; i++) {
                        values[i] = (float) ((2 * random.nextDouble() - 1) * bound);
                    }
                }
                return values;
            });
        }
    }

    /** A file holding only the VAE. */
    public static Path write(VaeConfig config, Path file, long seed, float statMean, float statStd) throws IOException {
        var writer = new SafetensorsWriter();
        add(config, writer, seed, statMean, statStd);
        writer.write(file);
        return file;
    }
}
