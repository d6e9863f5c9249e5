package org.ltxfleet.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.model.safetensors.DType;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.safetensors.SafetensorsWriter;

/**
 * Parameters are created from host bytes through the path every checkpoint takes (reader → chunks of
 * rows → {@code manager.create} → the parameter's array), and every value arrives.
 */
class ParameterUploadTest {

    /** Small chunks, so every tensor here above 100 values is made in parts and joined. */
    private static final int CHUNK = 100;

    @Test
    void everyValueOfEveryTensorArrivesWhateverItsStoredType(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("weights.safetensors");
        var shapes = new LinkedHashMap<String, long[]>();
        shapes.put("a.weight", new long[] {37, 29});
        shapes.put("b.weight", new long[] {64, 16});
        shapes.put("c.bias", new long[] {50});
        shapes.put("d.table", new long[] {3, 5, 7});
        shapes.put("e.gain", new long[] {});
        var types = Map.of("a.weight", DType.F32, "b.weight", DType.BF16, "c.bias", DType.F16, "d.table", DType.F32,
                "e.gain", DType.F32);
        var writer = new SafetensorsWriter();
        shapes.forEach((name, shape) -> writer.add(name, types.get(name), shape, values(name, shape)));
        writer.write(file);

        var parameters = new LinkedHashMap<String, Parameter>();
        shapes.forEach((name, shape) -> parameters.put(name, Parameter.builder().setName(name)
                .setType(Parameter.Type.WEIGHT).optShape(new Shape(shape)).build()));
        try (NDManager manager = NDManager.newBaseManager();
             var reader = SafetensorsReader.open(file)) {
            var upload = new ParameterUpload(manager, WeightStorage.FLOAT32, Map.of(), CHUNK);
            assertThat(CheckpointLoader.load(parameters, List.of(file), List.of(), "test model", upload)).isEqualTo(5);
            for (var entry : parameters.entrySet()) {
                NDArray array = entry.getValue().getArray();
                assertThat(array.getShape()).isEqualTo(new Shape(shapes.get(entry.getKey())));
                assertThat(array.getDataType()).isEqualTo(DataType.FLOAT32);
                assertThat(array.getDevice()).isEqualTo(manager.getDevice());
                assertThat(array.toFloatArray()).as(entry.getKey()).containsExactly(reader.readFloats(entry.getKey()));
            }
            assertThat(upload.report().values()).isEqualTo(37 * 29 + 64 * 16 + 50 + 105 + 1);
            assertThat(upload.report().halfValues()).isZero();
        }
    }

    @Test
    void aBf16MatrixKeptIn16BitsGivesBackEveryValueExactly(@TempDir Path dir) throws IOException {
        var layer = LoraLinear.of(300, 7);
        Path file = dir.resolve("layer.safetensors");
        float[] weight = wideRows(7, 300);
        new SafetensorsWriter().add("weight", DType.BF16, new long[] {7, 300}, weight)
                .add("bias", DType.F32, new long[] {7}, values("bias", new long[] {7}).get()).write(file);
        try (NDManager manager = NDManager.newBaseManager();
             var reader = SafetensorsReader.open(file)) {
            var upload = new ParameterUpload(manager, WeightStorage.FLOAT16, CheckpointNames.rowScaled(layer), CHUNK);
            CheckpointLoader.load(CheckpointNames.of(layer), List.of(file), List.of(), "layer", upload);
            assertThat(layer.rowScaled()).isTrue();
            assertThat(layer.weight().getArray().getDataType()).isEqualTo(DataType.FLOAT16);
            assertThat(layer.weight().requiresGradient()).isFalse();
            try (NDArray restored = layer.weightFloat32()) {
                assertThat(restored.toFloatArray()).containsExactly(reader.readFloats("weight"));
            }
            assertThat(CheckpointNames.of(layer).get("bias").getArray().toFloatArray()).containsExactly(reader.readFloats("bias"));
            assertThat(upload.report().halfValues()).isEqualTo(7 * 300);
            assertThat(upload.report().inexact()).isZero();
            assertThat(upload.report().summary()).contains("2,100 of them in 16 bits: 0 not exact");
        }
    }

    @Test
    void valuesARowCannotHoldAreCountedAndTheRestStayExact() {
        // One row spans 2^0 … 2^-45: past about 33 binades below the row's top fp16 loses bits, past 40 the value.
        float[] row = {1f, 0x1.fep-3f, 0x1p-20f, 0x1.01p-33f, 0x1p-45f, -0.75f, 0f, Float.NaN};
        var report = new StorageReport();
        var out = java.nio.ShortBuffer.allocate(row.length);
        float scale = HalfRows.encode(row, 0, row.length, out, report, "row");
        assertThat(Math.getExponent(scale)).as("a power of two").isEqualTo(-15);
        assertThat(Float.float16ToFloat(out.get(0)) * scale).isEqualTo(1f);
        assertThat(Float.float16ToFloat(out.get(2)) * scale).isEqualTo(0x1p-20f);
        assertThat(report.inexact()).isEqualTo(2);
        assertThat(report.flushedToZero()).isEqualTo(1);
        assertThat(report.nonFiniteValues()).isEqualTo(1);
        assertThat(report.worstRelativeError()).isEqualTo(1.0);
        // A row above fp16's range is scaled down, not overflowed.
        var big = java.nio.ShortBuffer.allocate(2);
        float down = HalfRows.encode(new float[] {3e20f, -1e18f}, 0, 2, big, new StorageReport(), "big");
        assertThat(Float.float16ToFloat(big.get(0)) * down).isCloseTo(3e20f, org.assertj.core.data.Percentage.withPercentage(0.1));
    }

    /** bf16 values over 30 binades per row: all fit one row's fp16 window exactly. */
    private static float[] wideRows(int rows, int columns) {
        var random = new SplittableRandom(7);
        float[] values = new float[rows * columns];
        for (int i = 0; i < values.length; i++) {
            float v = (float) Math.scalb(1 + random.nextDouble(), -random.nextInt(30)) * (random.nextBoolean() ? 1 : -1);
            values[i] = Float.intBitsToFloat(Float.floatToIntBits(v) & 0xffff0000);
        }
        values[5] = 0;
        return values;
    }

    private static java.util.function.Supplier<float[]> values(String name, long[] shape) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        float[] values = Noise.gaussian(name.hashCode(), (int) count);
        return () -> values;
    }
}
