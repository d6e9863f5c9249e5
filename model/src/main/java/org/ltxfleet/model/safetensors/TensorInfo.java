package org.ltxfleet.model.safetensors;

import java.util.Arrays;

/**
 * Where one tensor lives in a safetensors file.
 *
 * @param begin offset of its first byte from the start of the data section (a long: files pass 2 GiB)
 * @param end   offset just past its last byte
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    /** Number of elements. */
    public long elements() {
        return Arrays.stream(shape).reduce(1, Math::multiplyExact);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype.wireName() + Arrays.toString(shape);
    }
}
