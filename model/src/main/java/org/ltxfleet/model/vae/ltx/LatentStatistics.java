package org.ltxfleet.model.vae.ltx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import org.ltxfleet.model.nn.Module;

/**
 * LTX's per-channel latent statistics ({@code per_channel_statistics.mean-of-means} and
 * {@code std-of-means}; the hyphens are the checkpoint's): the encoder's means are normalised with
 * them, and the transformer works in that normalised space.
 */
final class LatentStatistics extends Module {

    private final Parameter mean;
    private final Parameter std;

    LatentStatistics(int channels) {
        mean = parameter("mean-of-means", new Shape(channels));
        std = parameter("std-of-means", new Shape(channels));
    }

    NDArray normalize(NDArray x) {
        return x.sub(broadcastable(mean, x)).div(broadcastable(std, x));
    }

    NDArray denormalize(NDArray x) {
        return x.mul(broadcastable(std, x)).add(broadcastable(mean, x));
    }

    /** A (1, C, 1, 1, 1) view owned by the activation's manager, so calls leave nothing in the model's. */
    private static NDArray broadcastable(Parameter p, NDArray activation) {
        NDArray view = p.getArray().reshape(1, -1, 1, 1, 1);
        view.attach(activation.getManager());
        return view;
    }
}
