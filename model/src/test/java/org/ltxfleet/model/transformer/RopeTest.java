package org.ltxfleet.model.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class RopeTest {

    private static final double[] MAX = {20, 2048, 2048};

    @Test
    void videoTokensSitAtTheMidpointsOfTheirCausalSpans() {
        double[][] p = RopePositions.video(3, 2, 2, 24);
        assertThat(p).hasNumberOfRows(12);
        // Frame 0 covers pixel frame 0 only; frame f covers [8f-7, 8f+1).
        assertThat(p[0][0]).isCloseTo(0.5 / 24, offset(1e-12));
        assertThat(p[4][0]).isCloseTo(5.0 / 24, offset(1e-12));
        assertThat(p[8][0]).isCloseTo(13.0 / 24, offset(1e-12));
        // Frame-major, then row, then column; 32-pixel tokens at their centres.
        assertThat(p[1]).containsExactly(0.5 / 24, 16, 48);
        assertThat(p[2]).containsExactly(0.5 / 24, 48, 16);
    }

    @Test
    void keyframeTokensSitAtTheirPixelFrame() {
        double[][] last = RopePositions.keyframe(88, 1, 2, 24);
        assertThat(last[0][0]).isCloseTo(88.5 / 24, offset(1e-12));
        assertThat(last[1]).containsExactly(88.5 / 24, 16, 48);
    }

    @Test
    void ltx23HasSixHundredEightyTwoFrequenciesPerAxisAndTwoPaddingEntries() {
        RopeTable table = RopeTable.of(RopePositions.video(1, 1, 1, 24), 32, 128, 10000, MAX);
        assertThat(table.cos()).hasSize(2048);
        // 2048 = 2 padding entries + 3 axes × 682 frequencies; padding does not rotate.
        assertThat(table.cos()[0]).isEqualTo(1f);
        assertThat(table.sin()[1]).isEqualTo(0f);
        assertThat(table.sin()[2]).isNotEqualTo(0f);
        // The lowest frequency is π/2: the time angle of entry 2 is π/2·(2·t/20 − 1).
        double t = 0.5 / 24;
        assertThat(table.sin()[2]).isCloseTo((float) Math.sin(Math.PI / 2 * (2 * t / 20 - 1)), offset(1e-6f));
    }

    @Test
    void rotationKeepsLengthsAndDependsOnlyOnRelativePosition() {
        double[][] positions = {{0.1, 100, 200}, {0.3, 164, 232}, {1.1, 1100, 1200}, {1.3, 1164, 1232}};
        RopeTable table = RopeTable.of(positions, 4, 12, 10000, MAX);
        float[] q = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        float[] k = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8};
        float[] q0 = q.clone();
        table.rotate(q0, 0, 1);
        assertThat(norm(q0)).isCloseTo(norm(q), offset(1e-4));
        // Same offset between the two pairs of tokens: the same attention score, up to the float32
        // angles LTX computes (off by up to 1e-3 rad at its highest frequency): 1e-4 relative here.
        double near = dot(rotated(table, q, 0), rotated(table, k, 1));
        assertThat(near).isCloseTo(dot(rotated(table, q, 2), rotated(table, k, 3)), offset(Math.abs(near) * 1e-4));
    }

    private static float[] rotated(RopeTable table, float[] v, int token) {
        float[] copy = v.clone();
        table.rotate(copy, token, 2);
        return copy;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double norm(float[] v) {
        return Math.sqrt(dot(v, v));
    }
}
