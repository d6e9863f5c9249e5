package org.ltxfleet.model.safetensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The {@code config} metadata JSON that LTX checkpoints carry in one of their shards. */
public final class CheckpointConfig {

    private CheckpointConfig() {
    }

    /** The {@code config} of the first shard whose config has a {@code section} entry, or null. */
    public static String withSection(List<Path> shards, String section) throws IOException {
        for (Path shard : shards) {
            try (var reader = SafetensorsReader.open(shard)) {
                String json = reader.metadata().get("config");
                if (json != null && json.contains("\"" + section + "\"")) {
                    return json;
                }
            }
        }
        return null;
    }
}
