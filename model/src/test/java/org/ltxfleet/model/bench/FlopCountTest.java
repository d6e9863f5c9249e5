package org.ltxfleet.model.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.ltxfleet.model.transformer.TransformerConfig;

class FlopCountTest {

    private static final TransformerConfig LTX23 = TransformerConfig.ltx23();

    @Test
    void aCheckpointedBlockRunsSelfAttentionTwiceForwardAndTwoAndAHalfTimesBackward() {
        // The T² term is self-attention's alone: forward 4·T²·D, run twice, and its recomputing backward 10·T²·D.
        double t = 1_000;
        double f0 = FlopCount.checkpointedBlock(LTX23, 0, 1024, 32);
        double f1 = FlopCount.checkpointedBlock(LTX23, (long) t, 1024, 32);
        double f2 = FlopCount.checkpointedBlock(LTX23, (long) (2 * t), 1024, 32);
        double quadratic = (f2 - 2 * f1 + f0) / (2 * t * t);
        assertThat(quadratic).isCloseTo(18.0 * LTX23.hidden(), within(1e-6 * 18 * LTX23.hidden()));
    }

    @Test
    void aStepIsItsBlocksAndALittleMore() {
        double block = FlopCount.checkpointedBlock(LTX23, 8_640, 1024, 32);
        double step = FlopCount.checkpointedStep(LTX23, 8_640, 1024, 32);
        assertThat(step).isGreaterThan(48 * block).isLessThan(48 * block * 1.01);
    }
}
