package org.ltxfleet.model.nn;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.safetensors.TensorInfo;

/**
 * What {@link WeightStorage#FLOAT16} would do to a checkpoint file, computed on the host without
 * loading a model: every matrix ({@code *.weight} of two dimensions: linear layers and embeddings,
 * the tensors the transformer and Gemma-3 keep in 16 bits) is encoded row by row as the loader
 * encodes it ({@link HalfRows}); other tensors are counted as float32.
 */
public final class StorageScan {

    private StorageScan() {
    }

    /** Scans {@code file}; a file too large for memory is read a row at a time. */
    public static StorageReport scan(Path file) throws IOException {
        var report = new StorageReport();
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            for (String name : reader.names().stream().sorted().toList()) {
                TensorInfo info = reader.info(name);
                boolean matrix = info.shape().length == 2 && name.endsWith(".weight") && info.elements() > 0;
                report.counted(info.elements(), matrix);
                if (matrix) {
                    scanRows(reader, info, report);
                }
            }
        }
        return report;
    }

    private static void scanRows(SafetensorsReader reader, TensorInfo info, StorageReport report) throws IOException {
        int rowLength = Math.toIntExact(info.shape()[1]);
        float[] row = new float[rowLength];
        ShortBuffer halves = ShortBuffer.allocate(rowLength);
        for (long r = 0; r < info.shape()[0]; r++) {
            reader.readRange(info.name(), r * rowLength, rowLength, FloatBuffer.wrap(row));
            halves.clear();
            HalfRows.encode(row, 0, rowLength, halves, report, info.name());
        }
    }
}
