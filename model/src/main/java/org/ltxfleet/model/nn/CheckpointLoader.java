package org.ltxfleet.model.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ltxfleet.model.safetensors.SafetensorsReader;

/**
 * Fills parameters from (sharded) safetensors by checkpoint name. LTX's single-file checkpoint
 * holds every component under its own prefix ({@code model.diffusion_model.}, {@code vae.}); split
 * files hold them bare. Each tensor is read a chunk at a time, converted to float32 and created on
 * the device by a {@link ParameterUpload} (float32, or 16-bit for the matrices it may hold so);
 * keys no parameter asks for are skipped.
 */
public final class CheckpointLoader {

    private CheckpointLoader() {
    }

    /** {@link #load(Map, List, List, String, ParameterUpload)} with every value float32. */
    public static int load(Map<String, Parameter> parameters, List<Path> shards, List<String> prefixes, String what,
                           NDManager manager) throws IOException {
        return load(parameters, shards, prefixes, what, ParameterUpload.float32(manager));
    }

    /**
     * Loads every parameter of {@code parameters} from {@code shards}, where a tensor is stored bare
     * or under one of {@code prefixes}; checks shapes. {@code what} names the model in errors.
     * Returns the number of tensors loaded; {@code upload.report()} says what 16-bit storage changed.
     */
    public static int load(Map<String, Parameter> parameters, List<Path> shards, List<String> prefixes, String what,
                           ParameterUpload upload) throws IOException {
        var readers = new ArrayList<SafetensorsReader>();
        try {
            Map<String, SafetensorsReader> owner = new HashMap<>();
            Map<String, String> stored = new HashMap<>();
            for (Path shard : shards) {
                SafetensorsReader reader = SafetensorsReader.open(shard);
                readers.add(reader);
                for (String key : reader.names()) {
                    String name = strip(key, prefixes);
                    owner.put(name, reader);
                    stored.put(name, key);
                }
            }
            var missing = new ArrayList<String>();
            for (var entry : parameters.entrySet()) {
                String name = entry.getKey();
                if (!owner.containsKey(name)) {
                    missing.add(name);
                    continue;
                }
                String key = stored.get(name);
                long[] shape = owner.get(name).info(key).shape();
                if (!Arrays.equals(shape, entry.getValue().getShape().getShape())) {
                    throw new IOException("checkpoint tensor " + key + " has shape " + Arrays.toString(shape)
                            + ", the " + what + " expects " + entry.getValue().getShape());
                }
            }
            if (!missing.isEmpty()) {
                throw new IOException("the checkpoint lacks " + missing.size() + " tensor(s) of the " + what
                        + ", e.g. " + missing.subList(0, Math.min(5, missing.size())));
            }
            int loaded = 0;
            for (var entry : parameters.entrySet()) {
                String name = entry.getKey();
                upload.upload(name, entry.getValue(), stream(owner.get(name), stored.get(name)));
                loaded++;
            }
            return loaded;
        } finally {
            for (SafetensorsReader reader : readers) {
                reader.close();
            }
        }
    }

    /** The tensor's values in file order, a chunk per call. */
    private static ValueStream stream(SafetensorsReader reader, String key) {
        long[] position = {0};
        return (target, count) -> {
            reader.readRange(key, position[0], count, FloatBuffer.wrap(target, 0, count));
            position[0] += count;
        };
    }

    private static String strip(String key, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (key.startsWith(prefix)) {
                return key.substring(prefix.length());
            }
        }
        return key;
    }
}
