package org.ltxfleet.model.text.gemma;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import org.ltxfleet.model.nn.Functional;
import org.ltxfleet.model.nn.Module;

/** A bias-free linear layer {@code x·Wᵀ}, weight {@code [out, in]}: Gemma has no biases anywhere. */
final class Projection extends Module {

    private final Parameter weight;

    Projection(int in, int out) {
        this.weight = parameter("weight", new Shape(out, in));
    }

    NDArray apply(NDArray x) {
        return Functional.linear(x, weight.getArray(), null);
    }
}
