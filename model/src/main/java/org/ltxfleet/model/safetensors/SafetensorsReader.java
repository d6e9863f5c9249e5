package org.ltxfleet.model.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.ltxfleet.common.json.Json;

/**
 * Reads safetensors files of any size: the header is parsed once, tensors are read on demand
 * with long file positions (checkpoints are tens of GiB), converted to float32 in chunks so no
 * copy of the file is held. Not thread-safe for concurrent reads of one instance.
 */
public final class SafetensorsReader implements AutoCloseable {

    /** Headers over this size are refused: a corrupt length must not allocate gigabytes. */
    private static final long MAX_HEADER = 100L * 1024 * 1024;
    private static final int CHUNK = 1 << 20;

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsReader(Path path, FileChannel channel, long dataStart, Map<String, TensorInfo> tensors,
                              Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Opens a file and reads its header; malformed files fail naming the file and the problem. */
    public static SafetensorsReader open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            if (channel.size() < 8) {
                throw new IOException(path + " is not a safetensors file (" + channel.size() + " bytes)");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > channel.size()) {
                throw new IOException(path + " is not a safetensors file (header length " + headerLength + ")");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(channel, header, 8);
            JsonNode root = Json.readTree(new String(header.array(), StandardCharsets.UTF_8).trim()
                    .getBytes(StandardCharsets.UTF_8));
            long dataStart = 8 + headerLength;
            var tensors = new LinkedHashMap<String, TensorInfo>();
            var metadata = new LinkedHashMap<String, String>();
            for (var field : (Iterable<Map.Entry<String, JsonNode>>) root::fields) {
                if (field.getKey().equals("__metadata__")) {
                    field.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                } else {
                    tensors.put(field.getKey(), info(path, field.getKey(), field.getValue(), channel.size() - dataStart));
                }
            }
            return new SafetensorsReader(path, channel, dataStart, Collections.unmodifiableMap(tensors),
                    Collections.unmodifiableMap(metadata));
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (e instanceof java.io.UncheckedIOException) {
                throw new IOException(path + " has a malformed safetensors header: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static TensorInfo info(Path path, String name, JsonNode node, long dataSize) throws IOException {
        DType dtype = DType.fromWire(node.path("dtype").asText());
        JsonNode shapeNode = node.path("shape");
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
        }
        long begin = node.path("data_offsets").path(0).asLong(-1);
        long end = node.path("data_offsets").path(1).asLong(-1);
        var info = new TensorInfo(name, dtype, shape, begin, end);
        if (begin < 0 || end < begin || end > dataSize || end - begin != info.elements() * dtype.bytes()) {
            throw new IOException(path + ": tensor " + name + " has inconsistent offsets [" + begin + ", " + end
                    + "] for " + info);
        }
        return info;
    }

    /** Tensor names in file order. */
    public Set<String> names() {
        return tensors.keySet();
    }

    /** The tensor's header entry; fails naming the missing tensor. */
    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new IllegalArgumentException(path + " has no tensor " + name);
        }
        return info;
    }

    /** The {@code __metadata__} strings. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensor's elements as float32, whatever its stored type. */
    public float[] readFloats(String name) throws IOException {
        long count = info(name).elements();
        if (count > Integer.MAX_VALUE - 8) {
            throw new IOException("tensor " + name + " has " + count + " elements; read it with readInto");
        }
        float[] out = new float[(int) count];
        readInto(name, FloatBuffer.wrap(out));
        return out;
    }

    /**
     * Streams the tensor's elements as float32 into {@code target} (for example a view of a
     * native tensor), a chunk at a time: no whole-tensor copy on the Java heap.
     */
    public void readInto(String name, FloatBuffer target) throws IOException {
        long count = info(name).elements();
        if (target.remaining() < count) {
            throw new IOException("tensor " + name + " has " + count + " elements, the target holds " + target.remaining());
        }
        readRange(name, 0, count, target);
    }

    /**
     * Streams {@code count} elements of the tensor from element {@code first} on as float32 into
     * {@code target}: a tensor larger than a Java array is read a chunk of rows at a time.
     */
    public void readRange(String name, long first, long count, FloatBuffer target) throws IOException {
        TensorInfo info = info(name);
        if (first < 0 || count < 0 || first + count > info.elements()) {
            throw new IllegalArgumentException("elements [" + first + ", " + (first + count) + ") lie outside tensor "
                    + name + " of " + info.elements());
        }
        int bytesPerElement = info.dtype().bytes();
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK * bytesPerElement).order(ByteOrder.LITTLE_ENDIAN);
        long position = dataStart + info.begin() + first * bytesPerElement;
        for (long done = 0; done < count; ) {
            int n = (int) Math.min(CHUNK, count - done);
            buffer.clear().limit(n * bytesPerElement);
            readFully(channel, buffer, position);
            buffer.flip();
            for (int i = 0; i < n; i++) {
                target.put(info.dtype().read(buffer));
            }
            position += (long) n * bytesPerElement;
            done += n;
        }
    }

    /**
     * The tensor's stored bytes (its own dtype, little-endian) from {@code offset} bytes into it, until
     * {@code target} is full: for fingerprints, which must not convert or read whole tensors.
     */
    public void readStoredBytes(String name, long offset, ByteBuffer target) throws IOException {
        TensorInfo info = info(name);
        if (offset < 0 || offset + target.remaining() > info.end() - info.begin()) {
            throw new IllegalArgumentException("bytes [" + offset + ", " + (offset + target.remaining())
                    + ") lie outside tensor " + name + " of " + (info.end() - info.begin()) + " bytes");
        }
        readFully(channel, target, dataStart + info.begin() + offset);
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new IOException("unexpected end of file at byte " + at);
            }
            at += read;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
