package org.ltxfleet.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.model.safetensors.DType;
import org.ltxfleet.model.safetensors.SafetensorsWriter;

class StorageScanTest {

    @Test
    void countsWhatSixteenBitRowsWouldChangeInMatricesOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.safetensors");
        float tiny = (float) Math.scalb(1.0, -40); // 2^-40 beside 3 in its row: below fp16's range once scaled
        new SafetensorsWriter()
                .add("proj.weight", DType.F32, new long[] {2, 4}, new float[] {1, 2, 3, tiny, 0.1f, 0.5f, 0.25f, 0.125f})
                .add("exact.weight", DType.BF16, new long[] {2, 2}, new float[] {1.5f, -0.0078125f, 96f, 0.375f})
                .add("norm.weight", DType.F32, new long[] {4}, new float[] {0.1f, 0.2f, 0.3f, tiny})
                .add("proj.bias", DType.F32, new long[] {2}, new float[] {0.1f, 0.3f})
                .write(file);

        StorageReport report = StorageScan.scan(file);

        assertThat(report.tensors()).isEqualTo(4);
        assertThat(report.values()).isEqualTo(8 + 4 + 4 + 2);
        assertThat(report.halfValues()).isEqualTo(8 + 4);
        assertThat(report.inexact()).as("2^-40 flushed, 0.1 rounded; the bf16 matrix and the 1-D tensors untouched")
                .isEqualTo(2);
        assertThat(report.flushedToZero()).isEqualTo(1);
        assertThat(report.worstTensor()).isEqualTo("proj.weight");
        assertThat(report.worstRelativeError()).isEqualTo(1.0);
        assertThat(report.summary()).contains("12 of them in 16 bits: 2 not exact (1 flushed to zero");
    }
}
