package org.ltxfleet.model.lora;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ltxfleet.model.transformer.RopePositions;

class KeyframeConventionTest {

    @Test
    void recordsTheOneFrameSpanTheModelReallyUses() {
        assertThat(KeyframeConvention.metadata(0.25)).containsEntry(KeyframeConvention.MIN_LTX_CORE, "1.1.2")
                .hasEntrySatisfying(KeyframeConvention.ROPE, rope -> assertThat(rope).startsWith("[k, k+1)/fps"));
        // [k, k+1) has its midpoint at k + 0.5: where our keyframe tokens sit, frame 0 included.
        for (int k : new int[] {0, 8, 88}) {
            assertThat(RopePositions.keyframe(k, 1, 1, 24)[0][0]).isEqualTo((k + 0.5) / 24);
        }
    }

    @Test
    void namesTheLayoutsTheShareTrained() {
        assertThat(KeyframeConvention.metadata(0)).containsEntry(KeyframeConvention.LAYOUTS, "appended")
                .containsEntry(KeyframeConvention.FIRST_IN_PLACE_SHARE, "0.0");
        assertThat(KeyframeConvention.metadata(0.25)).containsEntry(KeyframeConvention.LAYOUTS, "appended,first-in-place")
                .containsEntry(KeyframeConvention.FIRST_IN_PLACE_SHARE, "0.25");
        assertThat(KeyframeConvention.metadata(1)).containsEntry(KeyframeConvention.LAYOUTS, "first-in-place");
    }
}
