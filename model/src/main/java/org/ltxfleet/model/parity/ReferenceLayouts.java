package org.ltxfleet.model.parity;

import java.io.IOException;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.transformer.RopeTable;

/** Our tensors in the layouts the reference files use, and theirs in ours. */
final class ReferenceLayouts {

    private ReferenceLayouts() {
    }

    /** An integer reference tensor {@code [B, T]} (ids, masks) as ints; the reader hands every dtype over as float32. */
    static int[][] ints(SafetensorsReader golden, String name) throws IOException {
        long[] shape = golden.info(name).shape();
        float[] values = golden.readFloats(name);
        int cols = (int) shape[1];
        int[][] out = new int[(int) shape[0]][cols];
        for (int i = 0; i < values.length; i++) {
            out[i / cols][i % cols] = Math.round(values[i]);
        }
        return out;
    }

    /**
     * A rotary table's {@code values} ({@link RopeTable#cos()} or {@link RopeTable#sin()}, laid out
     * {@code [tokens][heads][half]}) as the references keep them, {@code [batch][heads][tokens][half]},
     * the same for every batch row.
     */
    static float[] headsFirst(RopeTable table, float[] values, int batch) {
        int heads = table.heads();
        int half = table.halfHeadDim();
        int tokens = values.length / (heads * half);
        float[] out = new float[batch * values.length];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < tokens; t++) {
                for (int h = 0; h < heads; h++) {
                    System.arraycopy(values, (t * heads + h) * half, out, b * values.length + (h * tokens + t) * half,
                            half);
                }
            }
        }
        return out;
    }
}
