package org.ltxfleet.model.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A cheap identity of the tensors a model reads from safetensors files, for cache keys: per tensor
 * (in name order, so re-sharding the same tensors changes nothing) its name, dtype, shape and up to three
 * 4 KiB windows of its stored bytes (start, middle, end). A 12B checkpoint costs a few MiB of reads
 * instead of 24+ GB. Retrained, fine-tuned or re-quantised weights change those windows; an edit
 * confined to bytes outside every window would not show, which weight files do not see in practice.
 * File names and metadata are left out: moving a model must not change its identity.
 */
public final class TensorFingerprint {

    private static final int WINDOW = 4096;

    private TensorFingerprint() {
    }

    /** Feeds {@code digest} with every tensor of {@code files} that {@code tensors} accepts. */
    public static void update(MessageDigest digest, List<Path> files, Predicate<String> tensors) throws IOException {
        var readers = new ArrayList<SafetensorsReader>();
        try {
            var owners = new TreeMap<String, SafetensorsReader>();
            for (Path file : files) {
                SafetensorsReader reader = SafetensorsReader.open(file);
                readers.add(reader);
                reader.names().stream().filter(tensors).forEach(name -> owners.put(name, reader));
            }
            for (var entry : owners.entrySet()) {
                update(digest, entry.getValue(), entry.getValue().info(entry.getKey()));
            }
        } finally {
            for (SafetensorsReader reader : readers) {
                reader.close();
            }
        }
    }

    private static void update(MessageDigest digest, SafetensorsReader reader, TensorInfo info) throws IOException {
        digest.update((info.toString() + '\n').getBytes(StandardCharsets.UTF_8));
        long size = info.end() - info.begin();
        if (size <= 3L * WINDOW) {
            window(digest, reader, info.name(), 0, (int) size);
            return;
        }
        window(digest, reader, info.name(), 0, WINDOW);
        window(digest, reader, info.name(), size / 2 - WINDOW / 2, WINDOW);
        window(digest, reader, info.name(), size - WINDOW, WINDOW);
    }

    private static void window(MessageDigest digest, SafetensorsReader reader, String name, long offset, int length)
            throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(length);
        reader.readStoredBytes(name, offset, bytes);
        digest.update(bytes.flip());
    }
}
