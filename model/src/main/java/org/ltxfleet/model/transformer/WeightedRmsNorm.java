package org.ltxfleet.model.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import org.ltxfleet.model.nn.Functional;
import org.ltxfleet.model.nn.Module;

/** RMS normalisation with a learned weight, as LTX's q/k norms (over all heads at once). */
final class WeightedRmsNorm extends Module {

    private final Parameter weight;

    WeightedRmsNorm(int width) {
        this.weight = parameter("weight", new Shape(width));
    }

    NDArray apply(NDArray x) {
        return Functional.rmsNorm(x, TransformerConfig.NORM_EPS).mul(weight.getArray());
    }
}
