package org.ltxfleet.model.vae.ltx;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.ltxfleet.model.safetensors.DType;
import org.ltxfleet.model.safetensors.SafetensorsWriter;

/** Writes VAE checkpoints with the real key names for a config: seeded random or given values. */
final class SyntheticVaeCheckpoint {

    private SyntheticVaeCheckpoint() {
    }

    /**
     * Seeded weights scaled by 1/√fan-in (so activations stay near unit size), statistics with the
     * given mean and std, under {@code vae.}.
     */
    static Path write(VaeConfig config, Path file, long seed, float statMean, float statStd) throws IOException {
        var writer = new SafetensorsWriter();
        for (Map.Entry<String, Shape> entry : LtxVae.parameterShapes(config).entrySet()) {
            String name = entry.getKey();
            Shape shape = entry.getValue();
            int size = Math.toIntExact(shape.size());
            float[] values = new float[size];
            if (name.endsWith("mean-of-means")) {
                java.util.Arrays.fill(values, statMean);
            } else if (name.endsWith("std-of-means")) {
                java.util.Arrays.fill(values, statStd);
            } else {
                var random = new SplittableRandom(seed ^ name.hashCode());
                double bound = name.endsWith(".bias") ? 0.05 : Math.sqrt(3.0 / (shape.size() / shape.get(0)));
                for (int i = 0; i < size; i++) {
                    values[i] = (float) ((2 * random.nextDouble() - 1) * bound);
                }
            }
            writer.add(LtxVae.CHECKPOINT_PREFIX + name, DType.F32, shape.getShape(), values);
        }
        writer.write(file);
        return file;
    }
}
