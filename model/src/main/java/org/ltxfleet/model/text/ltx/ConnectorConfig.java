package org.ltxfleet.model.text.ltx;

/**
 * One of LTX's embeddings connectors (video or audio): a stack of 1-D transformer blocks over the
 * text tokens, with learnable registers in place of padding and 1-D "split" RoPE.
 *
 * @param heads attention heads
 * @param headDim width of one head
 * @param blocks number of transformer blocks
 * @param registers learnable registers tiled over the padded positions
 * @param ropeMaxPosition RoPE normalisation bound (positions are divided by it)
 * @param gatedAttention per-head output gates {@code 2·sigmoid(to_gate_logits(x))}
 */
public record ConnectorConfig(int heads, int headDim, int blocks, int registers, int ropeMaxPosition,
                              boolean gatedAttention) {

    /** Fixed in the official code, not part of the checkpoint's config. */
    public static final double ROPE_THETA = 10_000;
    public static final int FF_MULTIPLIER = 4;
    public static final float NORM_EPS = 1e-6f;

    public ConnectorConfig {
        if (heads <= 0 || headDim <= 0 || blocks <= 0 || registers <= 0 || ropeMaxPosition <= 0) {
            throw new IllegalArgumentException("connector widths must be positive: " + heads + " × " + headDim
                    + ", " + blocks + " blocks, " + registers + " registers, max position " + ropeMaxPosition);
        }
    }

    /** Hidden width: heads × head width. */
    public int width() {
        return heads * headDim;
    }
}
