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
        // 1 + w is made from the weight, so it lands in the weights' manager: move it to the call's,
        // or every forward pass leaves one array per norm behind until the model is closed.
        NDArray scale = weight.getArray().add(1);
        scale.attach(x.getManager());
        return Functional.rmsNorm(x, eps).mul(scale);
    }
}
