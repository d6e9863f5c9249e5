package org.ltxfleet.model.nn;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checkpoint name of every parameter of a block tree. DJL keys children as {@code 01to_q} (a
 * two-digit position, then the name given to {@code addChildBlock}) and joins levels with
 * {@code _}; our blocks name children and parameters exactly as the LTX checkpoint does
 * ({@code to_q}, {@code to_out.0}, {@code weight}), so stripping the positions and joining with
 * dots gives the real key, e.g. {@code transformer_blocks.0.attn1.to_q.weight}.
 */
public final class CheckpointNames {

    private CheckpointNames() {
    }

    /** Every parameter under {@code root}, by checkpoint name, in tree order. */
    public static Map<String, Parameter> of(Block root) {
        var names = new LinkedHashMap<String, Parameter>();
        collect(root, "", names);
        return names;
    }

    /** Every matrix under {@code root} that 16-bit storage may hold ({@link RowScaledWeight}), by parameter name. */
    public static Map<String, RowScaledWeight> rowScaled(Block root) {
        var found = new LinkedHashMap<String, RowScaledWeight>();
        collectRowScaled(root, "", found);
        return found;
    }

    private static void collectRowScaled(Block block, String prefix, Map<String, RowScaledWeight> found) {
        if (block instanceof RowScaledWeight matrix) {
            found.put(prefix + matrix.weight().getName(), matrix);
        }
        var children = block.getChildren();
        for (int i = 0; i < children.size(); i++) {
            collectRowScaled(children.valueAt(i), prefix + stripPosition(children.keyAt(i), i) + ".", found);
        }
    }

    private static void collect(Block block, String prefix, Map<String, Parameter> names) {
        for (var entry : block.getDirectParameters()) {
            names.put(prefix + entry.getKey(), entry.getValue());
        }
        var children = block.getChildren();
        for (int i = 0; i < children.size(); i++) {
            collect(children.valueAt(i), prefix + stripPosition(children.keyAt(i), i) + ".", names);
        }
    }

    /**
     * {@code 01to_q} → {@code to_q}: DJL prefixes the child's 1-based position as {@code %02d}. The
     * position is known, so names that are numbers themselves ({@code 0}, {@code 47}) survive.
     */
    static String stripPosition(String childKey, int index) {
        String position = String.format("%02d", index + 1);
        if (!childKey.startsWith(position)) {
            throw new IllegalStateException("unexpected DJL child key " + childKey + " at position " + (index + 1));
        }
        return childKey.substring(position.length());
    }
}
