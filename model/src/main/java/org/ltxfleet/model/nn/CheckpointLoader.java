package org.ltxfleet.model.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.safetensors.TensorInfo;

/**
 * Fills parameters from (sharded) safetensors by checkpoint name. LTX's single-file checkpoint
 * holds every component under its own prefix ({@code model.diffusion_model.}, {@code vae.}); split
 * files hold them bare. Each tensor streams straight into the parameter's native memory, converted
 * to float32; keys no parameter asks for are skipped.
 */
public final class CheckpointLoader {

    private CheckpointLoader() {
    }

    /**
     * Loads every parameter of {@code parameters} from {@code shards}, where a tensor is stored bare
     * or under one of {@code prefixes}; checks shapes. {@code what} names the model in errors.
     * Returns the number of tensors loaded.
     */
    public static int load(Map<String, Parameter> parameters, List<Path> shards, List<String> prefixes, String what,
                           NDManager manager) throws IOException {
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
            int loaded = 0;
            for (var entry : parameters.entrySet()) {
                String name = entry.getKey();
                SafetensorsReader reader = owner.get(name);
                if (reader == null) {
                    missing.add(name);
                    continue;
                }
                String key = stored.get(name);
                TensorInfo info = reader.info(key);
                long[] expected = entry.getValue().getShape().getShape();
                if (!Arrays.equals(info.shape(), expected)) {
                    throw new IOException("checkpoint tensor " + key + " has shape " + Arrays.toString(info.shape())
                            + ", the " + what + " expects " + entry.getValue().getShape());
                }
                reader.readInto(key, nativeView(entry.getValue(), manager));
                loaded++;
            }
            if (!missing.isEmpty()) {
                throw new IOException("the checkpoint lacks " + missing.size() + " tensor(s) of the " + what
                        + ", e.g. " + missing.subList(0, Math.min(5, missing.size())));
            }
            return loaded;
        } finally {
            for (SafetensorsReader reader : readers) {
                reader.close();
            }
        }
    }

    /**
     * A writable float view of the parameter's (contiguous, engine-allocated) tensor, allocating it
     * first if needed; shaped parameters take their first array from an initializer, not setArray.
     */
    public static FloatBuffer nativeView(Parameter parameter, NDManager manager) {
        if (!parameter.isInitialized()) {
            parameter.setInitializer((m, shape, type) -> m.zeros(shape, type));
            parameter.initialize(manager, DataType.FLOAT32);
        }
        return parameter.getArray().toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
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
