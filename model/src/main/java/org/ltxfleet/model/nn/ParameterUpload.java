package org.ltxfleet.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * Creates parameters on the training device from values produced on the host: each tensor is
 * staged a chunk of whole rows at a time in a reused direct buffer and created with
 * {@link Tensors#fromHost} (a GPU receives a copy; nothing is written through a device tensor's
 * buffer), then installed as the parameter's array. Matrices named in {@code rowScaled} are kept as
 * FLOAT16 rows with power-of-two scales when the storage says so ({@link HalfRows}); every
 * other parameter is float32.
 */
public final class ParameterUpload {

    /** Values staged at once: 64 MiB of float32. A tensor over it is created in parts and joined on the device. */
    static final int CHUNK_VALUES = 16 << 20;

    private final NDManager manager;
    private final WeightStorage storage;
    private final Map<String, ? extends RowScaledWeight> rowScaled;
    private final StorageReport report = new StorageReport();
    private final int chunkValues;
    private float[] values = new float[0];
    private ByteBuffer staging;

    /**
     * @param rowScaled the matrices that may be stored in 16 bits, by parameter name
     *        ({@link CheckpointNames#rowScaled})
     */
    public ParameterUpload(NDManager manager, WeightStorage storage, Map<String, ? extends RowScaledWeight> rowScaled) {
        this(manager, storage, rowScaled, CHUNK_VALUES);
    }

    /** With chunks of {@code chunkValues} values (tests use small ones to cover tensors made in parts). */
    ParameterUpload(NDManager manager, WeightStorage storage, Map<String, ? extends RowScaledWeight> rowScaled,
                    int chunkValues) {
        this.manager = manager;
        this.storage = storage;
        this.rowScaled = Map.copyOf(rowScaled);
        this.chunkValues = chunkValues;
    }

    /** Everything float32. */
    public static ParameterUpload float32(NDManager manager) {
        return new ParameterUpload(manager, WeightStorage.FLOAT32, Map.of());
    }

    public NDManager manager() {
        return manager;
    }

    public WeightStorage storage() {
        return storage;
    }

    public StorageReport report() {
        return report;
    }

    /** Creates {@code parameter}'s values (named {@code name}) from {@code source}, replacing any it had. */
    public void upload(String name, Parameter parameter, ValueStream source) throws IOException {
        Shape shape = parameter.getShape();
        RowScaledWeight target = storage == WeightStorage.FLOAT16 ? rowScaled.get(name) : null;
        report.counted(shape.size(), target != null);
        if (target != null) {
            uploadHalf(name, shape, source, target);
        } else {
            install(parameter, float32(shape, source));
        }
    }

    /** Makes {@code value} the parameter's array, closing the one it had; the gradient flag follows the parameter. */
    public static void install(Parameter parameter, NDArray value) {
        parameter.close();
        parameter.setInitializer((m, s, t) -> value);
        parameter.initialize(value.getManager(), value.getDataType());
    }

    private NDArray float32(Shape shape, ValueStream source) throws IOException {
        long rows = rows(shape);
        long rowLength = shape.size() / rows;
        long rowsPerChunk = Math.max(1, chunkValues / Math.max(1, rowLength));
        var parts = new NDList();
        for (long row = 0; row < rows; row += rowsPerChunk) {
            long chunkRows = Math.min(rowsPerChunk, rows - row);
            int count = Math.toIntExact(chunkRows * rowLength);
            float[] values = buffer(count);
            source.next(values, count);
            ByteBuffer host = staging(count * 4L);
            host.asFloatBuffer().put(values, 0, count);
            parts.add(Tensors.fromHost(manager, host, chunkShape(shape, chunkRows), DataType.FLOAT32));
        }
        return join(parts);
    }

    private void uploadHalf(String name, Shape shape, ValueStream source, RowScaledWeight target) throws IOException {
        long rows = shape.get(0);
        long rowLength = shape.size() / rows;
        int rowsPerChunk = (int) Math.max(1, chunkValues / Math.max(1, rowLength));
        float[] scales = new float[Math.toIntExact(rows)];
        var parts = new NDList();
        for (long row = 0; row < rows; row += rowsPerChunk) {
            int chunkRows = (int) Math.min(rowsPerChunk, rows - row);
            int count = Math.toIntExact(chunkRows * rowLength);
            float[] values = buffer(count);
            source.next(values, count);
            ByteBuffer host = staging(count * 2L);
            var halves = host.asShortBuffer();
            for (int r = 0; r < chunkRows; r++) {
                scales[(int) row + r] = HalfRows.encode(values, (int) (r * rowLength), (int) rowLength, halves, report, name);
            }
            parts.add(Tensors.fromHost(manager, host, chunkShape(shape, chunkRows), DataType.FLOAT16));
        }
        target.storeRowScaled(join(parts), Tensors.create(manager, scales, new Shape(rows, 1)));
    }

    private static NDArray join(NDList parts) {
        if (parts.size() == 1) {
            return parts.head();
        }
        NDArray joined = NDArrays.concat(parts, 0);
        parts.close();
        return joined;
    }

    /** The host chunk, grown as needed (a tiny model never holds 64 MiB of it). */
    private float[] buffer(int count) {
        if (values.length < count) {
            values = new float[count];
        }
        return values;
    }

    /** A direct buffer of exactly {@code bytes}, reused between chunks (the device copy is made before the next one). */
    private ByteBuffer staging(long bytes) {
        if (staging == null || staging.capacity() < bytes) {
            long grown = Math.min(staging == null ? 1 << 20 : 2L * staging.capacity(), chunkValues * 4L);
            staging = ByteBuffer.allocateDirect(Math.toIntExact(Math.max(bytes, grown))).order(ByteOrder.nativeOrder());
        }
        return staging.clear().limit((int) bytes).slice().order(ByteOrder.nativeOrder());
    }

    private static long rows(Shape shape) {
        return shape.dimension() == 0 ? 1 : shape.get(0);
    }

    private static Shape chunkShape(Shape shape, long rows) {
        if (shape.dimension() == 0) {
            return shape;
        }
        long[] dims = shape.getShape().clone();
        dims[0] = rows;
        return new Shape(dims);
    }
}
