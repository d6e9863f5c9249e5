package org.ltxfleet.model.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ltxfleet.model.nn.Tensors;

/**
 * AdamW (decoupled weight decay) over named parameters. Written here rather than using DJL's
 * {@code Optimizer.adamW()} because a training job must checkpoint and restore the moment estimates
 * and DJL keeps them private. Moments live in the optimiser's own manager.
 */
public final class AdamW {

    private final NDManager manager;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private long step;

    public AdamW(NDManager manager, float beta1, float beta2, float eps, float weightDecay) {
        this.manager = manager;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /** PyTorch's defaults with LTX trainer's weight decay (0.01). */
    public static AdamW defaults(NDManager manager) {
        return new AdamW(manager, 0.9f, 0.999f, 1e-8f, 0.01f);
    }

    /** Steps taken so far. */
    public long step() {
        return step;
    }

    /** Starts a new step (bias corrections use the count). */
    public void beginStep() {
        step++;
    }

    /**
     * Updates {@code weight} in place from {@code gradient} at learning rate {@code lr}. Moments
     * are updated in place; the weight's gradient flag is lifted for the write, as PyTorch refuses
     * in-place writes to a leaf that requires a gradient.
     */
    public void update(String name, NDArray weight, NDArray gradient, float lr) {
        NDArray m = firstMoments.computeIfAbsent(name, k -> Tensors.keep(manager.zeros(weight.getShape())));
        NDArray v = secondMoments.computeIfAbsent(name, k -> Tensors.keep(manager.zeros(weight.getShape())));
        double correction1 = 1 - StrictMath.pow(beta1, step);
        double correction2 = 1 - StrictMath.pow(beta2, step);
        // Every temporary (scaled gradient, square, moment ratios, update) is freed before the next parameter.
        try (NDScope scope = new NDScope()) {
            m.muli(beta1).addi(gradient.mul(1 - beta1));
            v.muli(beta2).addi(gradient.square().mul(1 - beta2));
            NDArray update = m.div(correction1).div(v.div(correction2).sqrt().add(eps));
            weight.setRequiresGradient(false);
            weight.muli(1 - lr * weightDecay).subi(update.mul(lr));
            weight.setRequiresGradient(true);
        }
    }

    /** The moments by parameter name, for checkpoints: {@code name.m} and {@code name.v}. */
    public Map<String, NDArray> state() {
        var state = new LinkedHashMap<String, NDArray>();
        firstMoments.forEach((name, m) -> state.put(name + ".m", m));
        secondMoments.forEach((name, v) -> state.put(name + ".v", v));
        return state;
    }

    /** Restores moments and the step count from a checkpoint (values made on the host, created on the device). */
    public void restore(long stepsDone, Map<String, float[]> moments, Map<String, long[]> shapes) {
        step = stepsDone;
        moments.forEach((key, values) -> {
            String name = key.substring(0, key.length() - 2);
            var target = key.endsWith(".m") ? firstMoments : secondMoments;
            NDArray array = Tensors.keep(Tensors.create(manager, values, new ai.djl.ndarray.types.Shape(shapes.get(key))));
            NDArray old = target.put(name, array);
            if (old != null) {
                old.close();
            }
        });
    }
}
