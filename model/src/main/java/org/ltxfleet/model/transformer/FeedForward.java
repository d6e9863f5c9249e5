package org.ltxfleet.model.transformer;

import ai.djl.ndarray.NDArray;
import org.ltxfleet.model.nn.Functional;
import org.ltxfleet.model.nn.LoraLinear;
import org.ltxfleet.model.nn.Module;
import org.ltxfleet.model.nn.Scopes;

/** LTX's feed-forward: {@code ff.net.0.proj} (D → mult·D), GELU(tanh), {@code ff.net.2} (back to D). */
public final class FeedForward extends Module {

    private final LoraLinear up;
    private final LoraLinear down;

    FeedForward(TransformerConfig config, int rank) {
        this(config.hidden(), config.ffMultiplier(), rank);
    }

    /** A feed-forward of {@code width → multiplier·width → width} (also LTX's text connectors). */
    public FeedForward(int width, int multiplier, int rank) {
        int inner = width * multiplier;
        this.up = child("net.0.proj", LoraLinear.withRank(width, inner, rank));
        this.down = child("net.2", LoraLinear.withRank(inner, width, rank));
    }

    public NDArray apply(NDArray x) {
        return Scopes.scoped(() -> down.apply(Functional.geluTanh(up.apply(x))));
    }
}
