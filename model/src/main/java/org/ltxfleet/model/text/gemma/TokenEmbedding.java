package org.ltxfleet.model.text.gemma;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import org.ltxfleet.model.nn.Module;

/** {@code embed_tokens}: row lookup scaled by sqrt(hidden) (Gemma3TextScaledWordEmbedding); pads are looked up too. */
final class TokenEmbedding extends Module {

    private final Parameter weight;
    private final float scale;

    TokenEmbedding(Gemma3Config config) {
        this.weight = parameter("weight", new Shape(config.vocabSize(), config.hidden()));
        this.scale = config.embedScale();
    }

    /** {@code ids [B, T]} (int64) → {@code [B, T, D]}, in the ids' manager. */
    NDArray apply(NDArray ids) {
        Shape shape = ids.getShape();
        NDArray rows = weight.getArray().get(ids.flatten());
        // The lookup lands in the weight's manager; move it to the activation's so it is freed with it.
        rows.attach(ids.getManager());
        return rows.mul(scale).reshape(shape.get(0), shape.get(1), weight.getShape().get(1));
    }
}
