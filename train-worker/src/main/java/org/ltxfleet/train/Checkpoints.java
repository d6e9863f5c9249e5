package org.ltxfleet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.ltxfleet.common.s3.ObjectStore;
import org.ltxfleet.model.safetensors.DType;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.safetensors.SafetensorsWriter;
import org.ltxfleet.model.training.AdamW;
import org.ltxfleet.common.s3.JobObjects;

/**
 * A job's training state in S3 ({@code jobs/{id}/checkpoints/latest.safetensors}): the adapters
 * ({@code lora.<name>}), AdamW's moments ({@code adam.<name>.m/.v}) and the step in the metadata,
 * all float32 so a resumed run continues exactly. The step is the whole RNG state: each step's draws
 * are seeded by (seed, step). One object, written whole, so a crash mid-write leaves the previous one.
 */
final class Checkpoints {

    private final ObjectStore store;
    private final String key;

    Checkpoints(ObjectStore store, String requestId) {
        this.store = store;
        this.key = JobObjects.checkpointsPrefix(requestId) + "latest.safetensors";
    }

    void save(int step, Map<String, Parameter> adapters, AdamW optimizer, Path workDir) throws IOException {
        var writer = new SafetensorsWriter();
        writer.metadata("step", Integer.toString(step));
        adapters.forEach((name, parameter) -> add(writer, "lora." + name, parameter.getArray()));
        optimizer.state().forEach((name, array) -> add(writer, "adam." + name, array));
        Path file = workDir.resolve("checkpoint.safetensors");
        writer.write(file);
        store.put(key, file);
        Files.deleteIfExists(file);
    }

    /** Restores adapters and optimizer state; returns the step, or 0 when there is no checkpoint. */
    int restore(Map<String, Parameter> adapters, AdamW optimizer, Path workDir) throws IOException {
        if (!store.exists(key)) {
            return 0;
        }
        Path file = store.get(key, workDir.resolve("checkpoint.safetensors"));
        try (var reader = SafetensorsReader.open(file)) {
            int step = Integer.parseInt(reader.metadata().get("step"));
            for (var entry : adapters.entrySet()) {
                entry.getValue().getArray().set(reader.readFloats("lora." + entry.getKey()));
            }
            var moments = new HashMap<String, float[]>();
            var shapes = new HashMap<String, long[]>();
            for (String name : reader.names()) {
                if (name.startsWith("adam.")) {
                    moments.put(name.substring(5), reader.readFloats(name));
                    shapes.put(name.substring(5), reader.info(name).shape());
                }
            }
            optimizer.restore(step, moments, shapes);
            return step;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void add(SafetensorsWriter writer, String name, NDArray array) {
        writer.add(name, DType.F32, array.getShape().getShape(), () -> array.toFloatArray());
    }
}
