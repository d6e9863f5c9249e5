package org.ltxfleet.model.text.ltx;

import ai.djl.ndarray.NDArray;
import org.ltxfleet.model.nn.Functional;
import org.ltxfleet.model.nn.Module;
import org.ltxfleet.model.transformer.Attention;
import org.ltxfleet.model.transformer.FeedForward;
import org.ltxfleet.model.transformer.Rope;

/**
 * One connector block ({@code transformer_1d_blocks.i}): pre-norm (RMS, no weight) self-attention
 * with RoPE and per-head gates, then a pre-norm GELU(tanh) feed-forward, both residual; no AdaLN.
 */
final class ConnectorBlock extends Module {

    private final Attention attn1;
    private final FeedForward ff;

    ConnectorBlock(ConnectorConfig config) {
        this.attn1 = child("attn1", new Attention(config.heads(), config.headDim(), config.gatedAttention(), 0));
        this.ff = child("ff", new FeedForward(config.width(), ConnectorConfig.FF_MULTIPLIER, 0));
    }

    /** {@code x [B, T, C]} → the same shape; every token attends to every token (no mask). */
    NDArray apply(NDArray x, Rope rope) {
        NDArray normed = Functional.rmsNorm(x, ConnectorConfig.NORM_EPS);
        x = x.add(attn1.apply(normed, normed, rope, false));
        return x.add(ff.apply(Functional.rmsNorm(x, ConnectorConfig.NORM_EPS)));
    }
}
