package org.ltxfleet.model.text.ltx;

import java.util.Arrays;

/**
 * The connector's token order: Gemma's tokenizer pads on the left, the connector wants the real
 * tokens first (in their order) and the pads after them, where its registers go.
 */
public final class RightPadding {

    private RightPadding() {
    }

    /** Per row, the stable gather indices that move real tokens ({@code mask} 1) before pads. */
    public static int[][] order(int[][] mask) {
        int[][] order = new int[mask.length][];
        for (int b = 0; b < mask.length; b++) {
            int[] row = mask[b];
            order[b] = new int[row.length];
            int next = 0;
            for (int pass = 1; pass >= 0; pass--) {
                for (int t = 0; t < row.length; t++) {
                    if (row[t] == pass) {
                        order[b][next++] = t;
                    }
                }
            }
            if (next != row.length) {
                throw new IllegalArgumentException("a mask holds only 0 and 1, row " + b + " does not");
            }
        }
        return order;
    }

    /** The mask after reordering: ones (as many as the row's real tokens), then zeros. */
    public static int[][] reorderedMask(int[][] mask) {
        int[][] out = new int[mask.length][];
        for (int b = 0; b < mask.length; b++) {
            out[b] = new int[mask[b].length];
            int real = 0;
            for (int m : mask[b]) {
                real += m;
            }
            Arrays.fill(out[b], 0, real, 1);
        }
        return out;
    }
}
