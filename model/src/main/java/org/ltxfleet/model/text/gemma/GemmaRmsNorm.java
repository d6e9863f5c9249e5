package org.ltxfleet.model.text.gemma;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import org.ltxfleet.model.nn.Functional;
import org.ltxfleet.model.nn.Module;

/** Gemma's RMSNorm over the last axis: {@code x / rms(x) · (1 + weight)}; the stored weights are offsets around 0. */
final class GemmaRmsNorm extends Module {

    private final Parameter weight;
    private final float eps;

    GemmaRmsNorm(int width, float eps) {
        this.weight = parameter("weight", new Shape(width));
        this.eps = eps;
    }

    NDArray apply(NDArray x) {
        return Functional.rmsNorm(x, eps).mul(weight.getArray().add(1));
    }
}
