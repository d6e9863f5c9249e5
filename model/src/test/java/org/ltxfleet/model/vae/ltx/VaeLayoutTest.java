package org.ltxfleet.model.vae.ltx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The two channel orders real weights depend on. */
class VaeLayoutTest {

    @Test
    void patchFoldPutsTheWidthOffsetBeforeTheHeightOffset() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray pixels = manager.arange(3 * 2 * 8 * 8).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                    .reshape(1, 3, 2, 8, 8);
            NDArray folded = VaeLayout.patchify(pixels, 4);
            assertThat(folded.getShape()).isEqualTo(new Shape(1, 48, 2, 2, 2));
            // pixel (c=2, f=1, y=4·1+q, x=4·0+r) with q=3, r=1 → channel 2·16 + 1·4 + 3 at (f=1, h=1, w=0)
            float pixel = pixels.getFloat(0, 2, 1, 7, 1);
            assertThat(folded.getFloat(0, 2 * 16 + 4 + 3, 1, 1, 0)).isEqualTo(pixel);
            assertThat(VaeLayout.unpatchify(folded, 4).contentEquals(pixels)).isTrue();
        }
    }

    @Test
    void resamplerFoldOrdersChannelTimeHeightWidth() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.arange(2 * 4 * 4 * 6).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                    .reshape(1, 2, 4, 4, 6);
            int[] stride = {2, 2, 2};
            NDArray folded = VaeLayout.spaceToDepth(x, stride);
            assertThat(folded.getShape()).isEqualTo(new Shape(1, 16, 2, 2, 3));
            // element (c=1, t=2·1+1, y=2·0+0, x=2·2+1) → channel ((1·2+1)·2+0)·2+1 at (1, 0, 2)
            assertThat(folded.getFloat(0, ((1 * 2 + 1) * 2) * 2 + 1, 1, 0, 2)).isEqualTo(x.getFloat(0, 1, 3, 0, 5));
            assertThat(VaeLayout.depthToSpace(folded, stride).contentEquals(x)).isTrue();
        }
    }

    @Test
    void pixelNormGivesUnitRootMeanSquareOverChannels() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(1, 8, 3, 2, 2)).mul(5);
            NDArray rms = VaeLayout.pixelNorm(x).square().mean(new int[] {1}).sqrt();
            assertThat(rms.sub(1).abs().max().getFloat()).isLessThan(1e-5f);
        }
    }
}
