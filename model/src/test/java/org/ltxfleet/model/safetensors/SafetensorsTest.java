package org.ltxfleet.model.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

    private static final float[] VALUES = {0f, -0f, 1f, -2.5f, 3.140625f, 1e-3f, 65504f, -1e30f,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 6.1e-5f};

    @Test
    void roundTripsFloat32Exactly(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.safetensors");
        new SafetensorsWriter().add("a.weight", DType.F32, new long[] {3, 4}, VALUES).write(file);
        try (var reader = SafetensorsReader.open(file)) {
            assertThat(reader.info("a.weight").shape()).containsExactly(3, 4);
            float[] back = reader.readFloats("a.weight");
            for (int i = 0; i < VALUES.length; i++) {
                assertThat(Float.floatToIntBits(back[i])).isEqualTo(Float.floatToIntBits(VALUES[i]));
            }
        }
    }

    @Test
    void roundTripsHalfAndBfloat16WithinTheirPrecision(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.safetensors");
        new SafetensorsWriter()
                .add("half", DType.F16, new long[] {12}, VALUES)
                .add("brain", DType.BF16, new long[] {12}, VALUES)
                .write(file);
        try (var reader = SafetensorsReader.open(file)) {
            float[] half = reader.readFloats("half");
            float[] brain = reader.readFloats("brain");
            for (int i = 0; i < VALUES.length; i++) {
                float v = VALUES[i];
                if (Float.isNaN(v)) {
                    assertThat(half[i]).isNaN();
                    assertThat(brain[i]).isNaN();
                } else if (Math.abs(v) <= 65504f) {
                    assertThat(half[i]).isCloseTo(v, org.assertj.core.data.Offset.offset(Math.abs(v) / 1000 + 1e-7f));
                    assertThat(brain[i]).isCloseTo(v, org.assertj.core.data.Offset.offset(Math.abs(v) / 100 + 1e-7f));
                } else {
                    assertThat(brain[i]).isCloseTo(v, org.assertj.core.data.Offset.offset(Math.abs(v) / 100));
                }
            }
            assertThat(half[2]).isEqualTo(1f);
            assertThat(brain[4]).isEqualTo(3.140625f);
        }
    }

    @Test
    void writesTheReferenceByteLayout(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.safetensors");
        new SafetensorsWriter().metadata("format", "pt")
                .add("x", DType.BF16, new long[] {2}, new float[] {1f, -2f})
                .add("y", DType.F16, new long[] {1}, new float[] {1f})
                .write(file);
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = bytes.getLong();
        assertThat(headerLength % 8).isZero();
        String header = new String(Files.readAllBytes(file), 8, (int) headerLength, StandardCharsets.UTF_8).trim();
        assertThat(header).isEqualTo("{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"x\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"y\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[4,6]}}");
        bytes.position((int) (8 + headerLength));
        assertThat(bytes.getShort()).isEqualTo((short) 0x3F80);  // bf16 1.0
        assertThat(bytes.getShort()).isEqualTo((short) 0xC000);  // bf16 -2.0
        assertThat(bytes.getShort()).isEqualTo((short) 0x3C00);  // f16 1.0
    }

    @Test
    void readsMetadataAndNamesInFileOrder(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.safetensors");
        new SafetensorsWriter().metadata("ss_network_dim", "32").metadata("trigger", "héllo")
                .add("b", DType.F32, new long[] {1}, new float[] {1})
                .add("a", DType.F32, new long[] {1}, new float[] {2})
                .write(file);
        try (var reader = SafetensorsReader.open(file)) {
            assertThat(reader.metadata()).containsEntry("ss_network_dim", "32").containsEntry("trigger", "héllo");
            assertThat(reader.names()).containsExactly("b", "a");
        }
    }

    @Test
    void laysOutOffsetsPastTwoGibibytes() {
        var writer = new SafetensorsWriter()
                .add("huge", DType.F32, new long[] {600_000_000}, () -> new float[0])
                .add("after", DType.BF16, new long[] {4}, new float[4]);
        var layout = writer.layout();
        assertThat(layout.get(1).begin()).isEqualTo(2_400_000_000L);
        assertThat(layout.get(1).end()).isEqualTo(2_400_000_008L);
    }

    @Test
    void readsATensorStoredPastTwoGibibytes(@TempDir Path dir) throws IOException {
        // A sparse file: a 2.4 GB tensor of zeros we never write, then the one we read.
        Path file = dir.resolve("big.safetensors");
        String header = "{\"zeros\":{\"dtype\":\"F32\",\"shape\":[600000000],\"data_offsets\":[0,2400000000]},"
                + "\"tail\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[2400000000,2400000004]}}";
        byte[] headerBytes = (header + " ".repeat((8 - header.length() % 8) % 8)).getBytes(StandardCharsets.US_ASCII);
        try (var out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.SPARSE)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length).flip(), 0);
            out.write(ByteBuffer.wrap(headerBytes), 8);
            ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            tail.putShort((short) 0x4040).putShort((short) 0xBF80).flip();  // 3.0, -1.0
            out.write(tail, 8L + headerBytes.length + 2_400_000_000L);
        }
        try (var reader = SafetensorsReader.open(file)) {
            assertThat(reader.info("tail").begin()).isEqualTo(2_400_000_000L);
            assertThat(reader.readFloats("tail")).containsExactly(3f, -1f);
        }
    }

    @Test
    void refusesMalformedFilesNamingTheProblem(@TempDir Path dir) throws IOException {
        Path garbage = dir.resolve("garbage.safetensors");
        Files.write(garbage, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SafetensorsReader.open(garbage)).isInstanceOf(IOException.class)
                .hasMessageContaining("garbage.safetensors");

        Path lying = dir.resolve("lying.safetensors");
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,8]}}";
        ByteBuffer bytes = ByteBuffer.allocate(8 + header.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        Files.write(lying, bytes.array());
        assertThatThrownBy(() -> SafetensorsReader.open(lying)).hasMessageContaining("inconsistent offsets");

        Path dtype = dir.resolve("int.safetensors");
        String intHeader = "{\"a\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        ByteBuffer intBytes = ByteBuffer.allocate(8 + intHeader.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
        intBytes.putLong(intHeader.length()).put(intHeader.getBytes(StandardCharsets.US_ASCII));
        Files.write(dtype, intBytes.array());
        assertThatThrownBy(() -> SafetensorsReader.open(dtype)).hasMessageContaining("I32");
    }

    @Test
    void roundsBfloat16ToNearestEven() {
        assertThat(DType.toBf16(1f)).isEqualTo((short) 0x3F80);
        // 1 + 2^-8 sits exactly between two bf16 values: ties go to the even mantissa (1.0).
        assertThat(DType.toBf16(1f + 0x1p-8f)).isEqualTo((short) 0x3F80);
        assertThat(DType.toBf16(1f + 0x1p-8f + 0x1p-12f)).isEqualTo((short) 0x3F81);
    }
}
