package org.ltxfleet.model.vae.ltx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The rearrangements of LTX's VAE on {@code (B, C, F, H, W)} tensors. Two orders exist and both
 * matter for loading real weights: the input patch folds pixel (c, 4h+q, 4w+r) into channel
 * {@code c·16 + r·4 + q} (the width offset is the slower index), while the resamplers fold
 * (c, time, height, width) offsets as {@code ((c·st + i)·sh + j)·sw + k}.
 */
final class VaeLayout {

    private VaeLayout() {
    }

    /** {@code b c f (h q) (w r) -> b (c r q) f h w} with q = r = {@code patch}. */
    static NDArray patchify(NDArray x, int patch) {
        long[] s = x.getShape().getShape();
        long b = s[0];
        long c = s[1];
        long f = s[2];
        long h = s[3] / patch;
        long w = s[4] / patch;
        return x.reshape(b, c, f, h, patch, w, patch) // b c f h q w r
                .transpose(0, 1, 6, 4, 2, 3, 5) // b c r q f h w
                .reshape(b, c * patch * patch, f, h, w);
    }

    /** The inverse of {@link #patchify}. */
    static NDArray unpatchify(NDArray x, int patch) {
        long[] s = x.getShape().getShape();
        long b = s[0];
        long c = s[1] / (patch * patch);
        long f = s[2];
        long h = s[3];
        long w = s[4];
        return x.reshape(b, c, patch, patch, f, h, w) // b c r q f h w
                .transpose(0, 1, 4, 5, 3, 6, 2) // b c f h q w r
                .reshape(b, c, f, h * patch, w * patch);
    }

    /** {@code b c (d st) (h sh) (w sw) -> b (c st sh sw) d h w}. */
    static NDArray spaceToDepth(NDArray x, int[] stride) {
        long[] s = x.getShape().getShape();
        long d = s[2] / stride[0];
        long h = s[3] / stride[1];
        long w = s[4] / stride[2];
        return x.reshape(new Shape(s[0], s[1], d, stride[0], h, stride[1], w, stride[2]))
                .transpose(0, 1, 3, 5, 7, 2, 4, 6)
                .reshape(s[0], s[1] * stride[0] * stride[1] * stride[2], d, h, w);
    }

    /** The inverse of {@link #spaceToDepth}. */
    static NDArray depthToSpace(NDArray x, int[] stride) {
        long[] s = x.getShape().getShape();
        long c = s[1] / ((long) stride[0] * stride[1] * stride[2]);
        return x.reshape(new Shape(s[0], c, stride[0], stride[1], stride[2], s[2], s[3], s[4]))
                .transpose(0, 1, 5, 2, 6, 3, 7, 4)
                .reshape(s[0], c, s[2] * stride[0], s[3] * stride[1], s[4] * stride[2]);
    }

    /** PixelNorm: each position's channel vector divided by its root mean square (eps 1e-8). */
    static NDArray pixelNorm(NDArray x) {
        return x.div(x.square().mean(new int[] {1}, true).add(1e-8f).sqrt());
    }
}
