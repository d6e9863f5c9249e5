package org.ltxfleet.model.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ObjectiveTest {

    @Test
    void shiftGrowsLinearlyWithTokensThroughLtxsAnchors() {
        assertThat(SigmaSampler.shift(1024)).isCloseTo(0.95, offset(1e-12));
        assertThat(SigmaSampler.shift(4096)).isCloseTo(2.05, offset(1e-12));
        assertThat(SigmaSampler.shift(2560)).isCloseTo(1.5, offset(1e-12));
    }

    @Test
    void sigmasStayInTheUnitIntervalAndMoreTokensMeanMoreNoise() {
        double[] few = draw(new SigmaSampler(1), 256, 20_000);
        double[] many = draw(new SigmaSampler(1), 8192, 20_000);
        assertThat(Arrays.stream(few).allMatch(s -> s >= 0 && s <= 1)).isTrue();
        assertThat(Arrays.stream(many).allMatch(s -> s >= 0 && s <= 1)).isTrue();
        assertThat(Arrays.stream(many).average().orElseThrow())
                .isGreaterThan(Arrays.stream(few).average().orElseThrow() + 0.1);
        // The uniform tenth keeps low noise levels reachable even for long sequences.
        assertThat(Arrays.stream(many).filter(s -> s < 0.3).count()).isGreaterThan(200);
    }

    @Test
    void isReproducibleFromItsSeed() {
        assertThat(draw(new SigmaSampler(42), 3000, 100)).containsExactly(draw(new SigmaSampler(42), 3000, 100));
        assertThat(draw(new SigmaSampler(42), 3000, 100)).isNotEqualTo(draw(new SigmaSampler(43), 3000, 100));
    }

    @Test
    void mixesCleanAndNoiseAndTargetsTheVelocity() {
        try (NDManager m = NDManager.newBaseManager()) {
            var clean = m.create(new float[] {1, 2, 3, 4}, new Shape(1, 2, 2));
            var noise = m.create(new float[] {0, 0, 10, 10}, new Shape(1, 2, 2));
            var sigma = m.create(new float[] {0.25f}, new Shape(1, 1, 1));
            assertThat(FlowMatching.noisy(clean, noise, sigma).toFloatArray()).containsExactly(0.75f, 1.5f, 4.75f, 5.5f);
            assertThat(FlowMatching.target(clean, noise).toFloatArray()).containsExactly(-1, -2, 7, 6);
        }
    }

    @Test
    void keyframeTokensCarryNoLoss() {
        try (NDManager m = NDManager.newBaseManager()) {
            var target = m.zeros(new Shape(1, 3, 2));
            var prediction = m.create(new float[] {1, 1, 2, 2, 100, 100}, new Shape(1, 3, 2));
            // The third token is a keyframe: however wrong its prediction, the loss ignores it.
            var mask = m.create(new float[] {1, 1, 0}, new Shape(1, 3));
            assertThat(FlowMatching.loss(prediction, target, mask).getFloat()).isEqualTo(2.5f);
        }
    }

    private static double[] draw(SigmaSampler sampler, long tokens, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = sampler.sample(tokens);
        }
        return out;
    }
}
