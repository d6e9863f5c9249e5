package org.ltxfleet.model.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.ltxfleet.common.json.Json;

/**
 * Writes a safetensors file: tensors are declared first (name, type, shape and a supplier of
 * their float32 values), the header is laid out with long offsets, then each tensor is fetched,
 * converted and streamed in turn, so at most one tensor is in memory. The file appears atomically
 * (written beside, then moved). Header padded with spaces to 8 bytes, as the reference writer does.
 */
public final class SafetensorsWriter {

    private static final int CHUNK = 1 << 20;

    private record Entry(String name, DType dtype, long[] shape, Supplier<float[]> values) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** Declares a tensor; its values are fetched when the file is written. */
    public SafetensorsWriter add(String name, DType dtype, long[] shape, Supplier<float[]> values) {
        if (name.equals("__metadata__") || entries.stream().anyMatch(e -> e.name.equals(name))) {
            throw new IllegalArgumentException("tensor name " + name + " is reserved or already used");
        }
        entries.add(new Entry(name, dtype, shape.clone(), values));
        return this;
    }

    /** Declares a tensor whose values are at hand. */
    public SafetensorsWriter add(String name, DType dtype, long[] shape, float[] values) {
        return add(name, dtype, shape, () -> values);
    }

    /** Adds a {@code __metadata__} string. */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Where each tensor will go: the header entries with their offsets. */
    public List<TensorInfo> layout() {
        var infos = new ArrayList<TensorInfo>();
        long offset = 0;
        for (Entry e : entries) {
            var probe = new TensorInfo(e.name, e.dtype, e.shape, 0, 0);
            long size = Math.multiplyExact(probe.elements(), e.dtype.bytes());
            infos.add(new TensorInfo(e.name, e.dtype, e.shape, offset, offset + size));
            offset += size;
        }
        return infos;
    }

    /** Writes the file. */
    public void write(Path target) throws IOException {
        List<TensorInfo> layout = layout();
        byte[] header = header(layout);
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
            prefix.putLong(header.length).put(header).flip();
            writeFully(out, prefix, 0);
            long dataStart = 8L + header.length;
            for (int i = 0; i < entries.size(); i++) {
                writeTensor(out, entries.get(i), layout.get(i), dataStart);
            }
            out.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private byte[] header(List<TensorInfo> layout) {
        var root = Json.object();
        if (!metadata.isEmpty()) {
            var meta = root.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        for (TensorInfo info : layout) {
            var node = root.putObject(info.name());
            node.put("dtype", info.dtype().wireName());
            var shape = node.putArray("shape");
            for (long d : info.shape()) {
                shape.add(d);
            }
            node.putArray("data_offsets").add(info.begin()).add(info.end());
        }
        byte[] json = Json.toString(root).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] header = new byte[padded];
        System.arraycopy(json, 0, header, 0, json.length);
        java.util.Arrays.fill(header, json.length, padded, (byte) ' ');
        return header;
    }

    private static void writeTensor(FileChannel out, Entry entry, TensorInfo info, long dataStart) throws IOException {
        float[] values = entry.values.get();
        if (values.length != info.elements()) {
            throw new IllegalArgumentException("tensor " + entry.name + " declared " + info.elements()
                    + " elements but has " + values.length);
        }
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK * entry.dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        long position = dataStart + info.begin();
        for (int done = 0; done < values.length; ) {
            int n = Math.min(CHUNK, values.length - done);
            buffer.clear();
            for (int i = 0; i < n; i++) {
                entry.dtype.write(buffer, values[done + i]);
            }
            buffer.flip();
            writeFully(out, buffer, position);
            position += (long) n * entry.dtype.bytes();
            done += n;
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += out.write(buffer, at);
        }
    }
}
