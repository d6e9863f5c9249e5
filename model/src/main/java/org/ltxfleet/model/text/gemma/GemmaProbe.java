package org.ltxfleet.model.text.gemma;

import ai.djl.ndarray.NDArray;

/** Sees named intermediate tensors of a forward pass (e.g. {@code layer0.attn_out}), for parity checks. */
@FunctionalInterface
public interface GemmaProbe {

    /** Ignores everything. */
    GemmaProbe NONE = (name, value) -> { };

    void see(String name, NDArray value);
}
