package org.ltxfleet.model.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.job.AspectRatio;
import org.ltxfleet.common.job.Bucket;
import org.ltxfleet.common.job.Resolution;
import org.ltxfleet.model.transformer.LoraSpec;
import org.ltxfleet.model.transformer.TransformerConfig;

class MemoryPlanTest {

    private static final TransformerConfig LTX23 = TransformerConfig.ltx23();
    private static final LoraSpec RANK_32 = LoraSpec.attention(32);

    @Test
    void tokensAreVideoLatentFramesPlusKeyframesTimesTheLatentGrid() {
        // medium 1:1: 24 × 24 tokens a frame; 89 frames → 12 latent frames, + 3 keyframes.
        assertThat(new TrainingShape(Bucket.of(Resolution.MEDIUM, AspectRatio.SQUARE), 89, 3).tokens()).isEqualTo(15 * 576);
        // high 16:9: 30 × 17; 121 frames → 16 latent frames, + 2 keyframes.
        assertThat(new TrainingShape(Bucket.of(Resolution.HIGH, AspectRatio.LANDSCAPE), 121, 2).tokens()).isEqualTo(18 * 510);
    }

    @Test
    void refusesWindowsOffTheVaeGrid() {
        assertThatThrownBy(() -> new TrainingShape(Bucket.of(Resolution.LOW, AspectRatio.SQUARE), 90, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 + 8k");
    }

    @Test
    void anLtx23BlockCreates112TokenRowsOfTensors() {
        // docs/GPU.md itemises these; a change to the block's ops should change the doc too.
        assertThat(ForwardTensors.blockTokenUnits(LTX23, RANK_32)).isEqualTo(112);
        assertThat(ForwardTensors.blockTokenUnits(LTX23, new LoraSpec(32, true))).isEqualTo(112 + 2 * 4 + 2);
    }

    @Test
    void checkpointingHoldsOneBlockWhereTheTrainerAsWrittenHoldsAll() {
        long tokens = 8640;
        var written = StepMemory.of(LTX23, RANK_32, StepRecipe.asWritten(), tokens);
        var planned = StepMemory.of(LTX23, RANK_32, StepRecipe.halfPrecision(false), tokens);
        // 48 blocks instead of 1, at 4 bytes instead of 2.
        assertThat((double) written.blocks()).isCloseTo(96.0 * planned.blocks(), org.assertj.core.data.Offset.offset(96.0));
        assertThat(written.checkpoints()).isZero();
        assertThat(planned.checkpoints()).isEqualTo(48L * tokens * 4096 * 2);
        assertThat(planned.frozenBase()).isEqualTo(2 * 13_124_316_288L);
        assertThat(planned.adapters()).isEqualTo(16 * 100_663_296L);
    }

    @Test
    void attentionMatricesGrowWithTheSquareOfTheTokensAndAKernelsStatisticsLinearly() {
        var unfused = StepRecipe.halfPrecision(false);
        var fused = StepRecipe.halfPrecision(true);
        long small = StepMemory.of(LTX23, RANK_32, unfused, 10_000).attention();
        long large = StepMemory.of(LTX23, RANK_32, unfused, 20_000).attention();
        assertThat(large / (double) small).isBetween(3.8, 4.0);
        assertThat(StepMemory.of(LTX23, RANK_32, fused, 20_000).attention())
                .isEqualTo(2 * StepMemory.of(LTX23, RANK_32, fused, 10_000).attention());
    }

    @Test
    void aLargerCardNeverFitsFewerFrames() {
        var plan = MemoryPlan.ltx23();
        var recipe = StepRecipe.halfPrecision(false);
        for (Bucket bucket : MemoryPlan.buckets()) {
            int h100 = plan.longestWindow(Card.H100_80GB, recipe, bucket).map(TrainingShape::frames).orElse(0);
            int h200 = plan.longestWindow(Card.H200_141GB, recipe, bucket).map(TrainingShape::frames).orElse(0);
            assertThat(h200).as(bucket.toString()).isGreaterThanOrEqualTo(h100);
        }
        assertThat(plan.tokenLimit(Card.H200_141GB, recipe)).isGreaterThan(plan.tokenLimit(Card.H100_80GB, recipe));
    }

    @Test
    void theTokenLimitIsTheLastCountThatFits() {
        var plan = MemoryPlan.ltx23();
        var recipe = StepRecipe.halfPrecision(true);
        long limit = plan.tokenLimit(Card.H100_80GB, recipe);
        assertThat(StepMemory.of(LTX23, RANK_32, recipe, limit).total()).isLessThanOrEqualTo(Card.H100_80GB.bytes());
        assertThat(StepMemory.of(LTX23, RANK_32, recipe, limit + 1).total()).isGreaterThan(Card.H100_80GB.bytes());
    }

    @Test
    void theGpuDocHoldsTheComputedTables() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "GPU.md"));
        assertThat(doc).as("docs/GPU.md's memory plan is stale: paste the output of MemoryPlan's main")
                .contains(MemoryPlan.ltx23().markdown());
    }
}
