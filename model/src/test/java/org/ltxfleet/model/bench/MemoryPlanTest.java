package org.ltxfleet.model.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.job.AspectRatio;
import org.ltxfleet.common.job.Bucket;
import org.ltxfleet.common.job.Resolution;
import org.ltxfleet.model.training.TrainingMemory;
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
    void anLtx23BlockKeeps37TokenRowsForItsBackwardPass() {
        // docs/GPU.md itemises these; a change to the block's ops should change the doc too.
        assertThat(SavedTensors.blockTokenUnits(LTX23, RANK_32)).isEqualTo(37);
        assertThat(SavedTensors.blockTokenUnits(LTX23, new LoraSpec(32, true))).isEqualTo(37 + 1 + 4);
        assertThat(SavedTensors.blockContextUnits(LTX23, RANK_32)).isEqualTo(4);
        assertThatThrownBy(() -> SavedTensors.blockTokenUnits(LTX23, LoraSpec.none()))
                .hasMessageContaining("rank > 0");
    }

    @Test
    void checkpointingHoldsOneBlockWhereOneGraphHoldsAll() {
        long tokens = 8640;
        var oneGraph = StepMemory.onGpu(LTX23, RANK_32, StepRecipe.halfBaseOneGraph(), tokens);
        var checkpointed = StepMemory.onGpu(LTX23, RANK_32, StepRecipe.ltx23Default(), tokens);
        assertThat(oneGraph.blocks()).isEqualTo(48 * checkpointed.blocks());
        assertThat(oneGraph.weightCasts()).isEqualTo(48 * checkpointed.weightCasts());
        assertThat(oneGraph.checkpoints()).isZero();
        assertThat(checkpointed.checkpoints()).isEqualTo(48L * tokens * 4096 * 4);
        assertThat(checkpointed.frozenBase()).isEqualTo(2 * 13_124_316_288L);
        assertThat(StepMemory.onGpu(LTX23, RANK_32, StepRecipe.plain(), tokens).frozenBase()).isEqualTo(4 * 13_124_316_288L);
        assertThat(StepMemory.onGpu(LTX23, RANK_32, StepRecipe.plain(), tokens).weightCasts()).isZero();
        assertThat(checkpointed.adapters()).isEqualTo(16 * 100_663_296L);
    }

    @Test
    void keptProbabilitiesGrowWithTheSquareOfTheTokensAndChunkBuffersStayWithinTheirBudget() {
        var kept = StepRecipe.plain();
        long small = StepMemory.onGpu(LTX23, RANK_32, kept, 10_000).attention();
        long large = StepMemory.onGpu(LTX23, RANK_32, kept, 20_000).attention();
        assertThat(large / (double) small).isBetween(3.5, 4.0);
        long budgetBytes = SavedTensors.CHUNK_BUFFERS * TrainingMemory.LTX23_SCORE_BUDGET * 4;
        for (long tokens : new long[] {1_000, 17_100, 100_000}) {
            assertThat(StepMemory.onGpu(LTX23, RANK_32, StepRecipe.ltx23Default(), tokens).attention())
                    .isLessThanOrEqualTo(budgetBytes);
        }
        // A whole attention below the budget is one chunk: 3 buffers of heads × T × max(T, S) float32.
        assertThat(StepMemory.onGpu(LTX23, RANK_32, StepRecipe.ltx23Default(), 1_000).attention())
                .isEqualTo(3L * 32 * 1_000 * 1_024 * 4);
    }

    @Test
    void aLargerCardNeverFitsFewerFrames() {
        var plan = MemoryPlan.ltx23();
        var recipe = StepRecipe.ltx23Default();
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
        var recipe = StepRecipe.ltx23Default();
        long limit = plan.tokenLimit(Card.H100_80GB, recipe);
        assertThat(StepMemory.onGpu(LTX23, RANK_32, recipe, limit).total()).isLessThanOrEqualTo(Card.H100_80GB.bytes());
        assertThat(StepMemory.onGpu(LTX23, RANK_32, recipe, limit + 1).total()).isGreaterThan(Card.H100_80GB.bytes());
    }

    @Test
    void everyJobTheApiAcceptsFitsAn80GbCardWithTheDefaultRecipeAndNoneWithoutIt() {
        var plan = MemoryPlan.ltx23();
        assertThat(MemoryPlan.jobShapes()).hasSize(9 * 15);
        assertThat(plan.fitsEveryJob(Card.H100_80GB, StepRecipe.ltx23Default())).isTrue();
        assertThat(plan.fitsEveryJob(Card.H200_141GB, StepRecipe.halfBaseOneGraph())).isFalse();
        assertThat(plan.fitsEveryJob(Card.H100_80GB, StepRecipe.plain())).isFalse();
    }

    @Test
    void aQuadraticThroughThreePointsIsExact() {
        double[] fit = MemoryBench.quadraticThrough(new double[] {1, 2, 4}, new double[] {6, 15, 45});
        // 1 + 3x + 2x²
        assertThat(fit[0]).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(fit[1]).isCloseTo(3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(fit[2]).isCloseTo(2, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void theGpuDocHoldsTheComputedTables() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "GPU.md"));
        assertThat(doc).as("docs/GPU.md's memory plan is stale: paste the output of MemoryPlan's main")
                .contains(MemoryPlan.ltx23().markdown());
    }
}
