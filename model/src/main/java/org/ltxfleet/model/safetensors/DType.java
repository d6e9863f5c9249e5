package org.ltxfleet.model.safetensors;

import java.nio.ByteBuffer;

/**
 * Element types we read and write, with their safetensors names. Everything is converted to and
 * from float32 in Java: DJL's bf16 arrays crash the JVM (STACK.md), so bf16 never reaches it.
 * Conversions are little-endian, as the format requires.
 */
public enum DType {
    F32("F32", 4),
    F16("F16", 2),
    BF16("BF16", 2),
    /** As float32: reference tensors (goldens) are stored in float64. */
    F64("F64", 8),
    /** As float32 (exact up to 2^24): masks and indices. */
    I64("I64", 8);

    private final String wireName;
    private final int bytes;

    DType(String wireName, int bytes) {
        this.wireName = wireName;
        this.bytes = bytes;
    }

    /** The name in a safetensors header. */
    public String wireName() {
        return wireName;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The type of a header name; fails naming it when we do not support it. */
    public static DType fromWire(String name) {
        for (DType t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported safetensors dtype " + name + " (supported: F32, F16, BF16, F64, I64)");
    }

    /** Reads one element at the buffer's position as float32. */
    float read(ByteBuffer in) {
        return switch (this) {
            case F32 -> in.getFloat();
            case F16 -> Float.float16ToFloat(in.getShort());
            case BF16 -> Float.intBitsToFloat((in.getShort() & 0xffff) << 16);
            case F64 -> (float) in.getDouble();
            case I64 -> (float) in.getLong();
        };
    }

    /** Writes one float32 element in this type. */
    void write(ByteBuffer out, float value) {
        switch (this) {
            case F32 -> out.putFloat(value);
            case F16 -> out.putShort(Float.floatToFloat16(value));
            case BF16 -> out.putShort(toBf16(value));
            case F64 -> out.putDouble(value);
            case I64 -> out.putLong((long) value);
        }
    }

    /** float32 to bfloat16 with round-to-nearest-even; NaN stays NaN. */
    static short toBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int roundingBias = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }
}
