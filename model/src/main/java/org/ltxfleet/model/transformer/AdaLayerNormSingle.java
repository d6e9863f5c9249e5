package org.ltxfleet.model.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.ltxfleet.model.nn.Functional;
import org.ltxfleet.model.nn.LoraLinear;
import org.ltxfleet.model.nn.Module;
import org.ltxfleet.model.nn.Tensors;

/**
 * LTX's {@code adaln_single}: σ·1000 → 256-channel sinusoid ([cos, sin], max period 10000) →
 * {@code emb.timestep_embedder.linear_1} → SiLU → {@code linear_2} (the embedded timestep) →
 * SiLU → {@code linear} to {@code rows × D} modulation values.
 */
final class AdaLayerNormSingle extends Module {

    private static final float TIMESTEP_SCALE = 1000f;

    private final LoraLinear linear1;
    private final LoraLinear linear2;
    private final LoraLinear linear;

    AdaLayerNormSingle(int width, int rows) {
        this.linear1 = child("emb.timestep_embedder.linear_1", LoraLinear.of(TransformerConfig.TIMESTEP_CHANNELS, width));
        this.linear2 = child("emb.timestep_embedder.linear_2", LoraLinear.of(width, width));
        this.linear = child("linear", LoraLinear.of(width, (long) rows * width));
    }

    /** The embedded timestep {@code [..., D]} of σ values {@code [...]}. */
    NDArray embed(NDArray sigma) {
        return linear2.apply(Functional.silu(linear1.apply(sinusoid(sigma))));
    }

    /** Modulation values {@code [..., rows·D]} from an embedded timestep. */
    NDArray modulation(NDArray embedded) {
        return linear.apply(Functional.silu(embedded));
    }

    static NDArray sinusoid(NDArray sigma) {
        int half = TransformerConfig.TIMESTEP_CHANNELS / 2;
        float[] frequencies = new float[half];
        for (int k = 0; k < half; k++) {
            frequencies[k] = (float) StrictMath.exp(-StrictMath.log(10_000) * k / half);
        }
        NDManager manager = sigma.getManager();
        NDArray angles = sigma.mul(TIMESTEP_SCALE).expandDims(-1).mul(Tensors.create(manager, frequencies, new Shape(frequencies.length)));
        return angles.cos().concat(angles.sin(), -1);
    }
}
