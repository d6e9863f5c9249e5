package org.ltxfleet.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;

/**
 * Stateless tensor functions the LTX blocks share. Every function keeps its activation argument as
 * the first operand, so results live in the activation's (per-step) manager and never pile up in
 * the model's.
 *
 * <p>On the training path, multiply, divide and raise by constants through {@link #times},
 * {@link #power} and {@link #constant}, never DJL's {@code mul(Number)}, {@code div(Number)} or
 * {@code pow(Number)}: those wrap the number in a tensor over a Java direct buffer and close it
 * after the op, while autograd keeps that tensor for the backward pass. Once the GC frees the buffer
 * the backward pass reads freed memory: gradients came out NaN or different from run to run
 * ({@code ConstantsSurviveGcTest}). Additions are safe (their backward needs no operand).
 */
public final class Functional {

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);

    private Functional() {
    }

    /** {@code value} as a scalar tensor in engine memory, on {@code like}'s device and type. */
    public static NDArray constant(NDArray like, float value) {
        return like.getManager().full(new Shape(), value, like.getDataType());
    }

    /** {@code x·c}, safe on the training path (see the class comment). */
    public static NDArray times(NDArray x, float c) {
        try (NDArray constant = constant(x, c)) {
            return x.mul(constant);
        }
    }

    /** {@code xᵖ}, safe on the training path (see the class comment). */
    public static NDArray power(NDArray x, float p) {
        try (NDArray exponent = constant(x, p)) {
            return x.pow(exponent);
        }
    }

    /** {@code x·Wᵀ + b} with a torch-layout weight {@code [out, in]}; {@code bias} may be null. */
    public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return bias == null ? Linear.linear(x, weight).singletonOrThrow()
                : Linear.linear(x, weight, bias).singletonOrThrow();
    }

    /** RMS normalisation over the last axis, without weights. */
    public static NDArray rmsNorm(NDArray x, float eps) {
        int last = x.getShape().dimension() - 1;
        return Scopes.scoped(() -> x.div(x.square().mean(new int[] {last}, true).add(eps).sqrt()));
    }

    /** Layer normalisation over the last axis, without affine parameters. */
    public static NDArray layerNorm(NDArray x, float eps) {
        int last = x.getShape().dimension() - 1;
        return Scopes.scoped(() -> {
            NDArray centered = x.sub(x.mean(new int[] {last}, true));
            return centered.div(centered.square().mean(new int[] {last}, true).add(eps).sqrt());
        });
    }

    /** {@code x·(1 + scale) + shift}: AdaLN modulation. */
    public static NDArray modulate(NDArray x, NDArray shift, NDArray scale) {
        return Scopes.scoped(() -> x.add(x.mul(scale)).add(shift));
    }

    /** SiLU, {@code x·sigmoid(x)}. */
    public static NDArray silu(NDArray x) {
        return Scopes.scoped(() -> x.mul(Activation.sigmoid(x)));
    }

    /** GELU with the tanh approximation, as LTX's feed-forward uses it; at most four tensors of x's size at once. */
    public static NDArray geluTanh(NDArray x) {
        return Scopes.scoped(() -> {
            NDArray inner = Scopes.scoped(() -> times(x.add(times(power(x, 3), 0.044715f)), SQRT_2_OVER_PI));
            NDArray onePlusTanh = Scopes.scoped(() -> inner.tanh().add(1));
            inner.close();
            return times(x.mul(onePlusTanh), 0.5f);
        });
    }
}
