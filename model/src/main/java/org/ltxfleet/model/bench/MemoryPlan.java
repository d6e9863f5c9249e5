package org.ltxfleet.model.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.ltxfleet.common.job.AspectRatio;
import org.ltxfleet.common.job.Bucket;
import org.ltxfleet.common.job.Resolution;
import org.ltxfleet.common.job.TrainingInput;
import org.ltxfleet.model.transformer.LoraSpec;
import org.ltxfleet.model.transformer.TransformerConfig;

/**
 * The GPU memory plan of docs/GPU.md: for each card and recipe, the longest window of each bucket
 * that fits one ltx-2.3 training step at rank 32 with three keyframes (the middle one included), and
 * the breakdown at reference windows. {@code main} prints the tables; a test fails while the doc
 * holds other figures.
 */
public final class MemoryPlan {

    /** The API's default rank. */
    public static final int RANK = 32;
    /** First, middle and last keyframe: the larger of the two sequences a job can have. */
    public static final int KEYFRAMES = 3;

    private static final List<Card> CARDS = List.of(Card.H100_80GB, Card.H200_141GB);
    /** Headroom every job shape must leave on a card: allocator fragmentation the plan does not model. */
    public static final double HEADROOM = 0.10;
    private static final List<StepRecipe> DEFAULT = List.of(StepRecipe.ltx23Default());
    private static final List<StepRecipe> RECIPES = List.of(StepRecipe.ltx23Default(), StepRecipe.halfBaseOneGraph(),
            StepRecipe.plain());

    private final TransformerConfig config;
    private final LoraSpec lora;

    public MemoryPlan(TransformerConfig config, LoraSpec lora) {
        this.config = config;
        this.lora = lora;
    }

    /** The plan for the real video stream at the default rank. */
    public static MemoryPlan ltx23() {
        return new MemoryPlan(TransformerConfig.ltx23(), LoraSpec.attention(RANK));
    }

    public TransformerConfig config() {
        return config;
    }

    public LoraSpec lora() {
        return lora;
    }

    /** Peak GPU memory of one step over a window. */
    public StepMemory step(StepRecipe recipe, TrainingShape shape) {
        return StepMemory.onGpu(config, lora, recipe, shape.tokens());
    }

    /** Every window the API accepts: each bucket, each frame count (1 + 8k), three keyframes. */
    public static List<TrainingShape> jobShapes() {
        var shapes = new ArrayList<TrainingShape>();
        for (Bucket bucket : buckets()) {
            for (int frames = TrainingInput.MIN_FRAMES; frames <= TrainingInput.MAX_FRAMES; frames += 8) {
                shapes.add(new TrainingShape(bucket, frames, KEYFRAMES));
            }
        }
        return shapes;
    }

    /** Whether every job shape's peak leaves {@link #HEADROOM} of the card free. */
    public boolean fitsEveryJob(Card card, StepRecipe recipe) {
        return jobShapes().stream().allMatch(shape -> step(recipe, shape).total() <= (1 - HEADROOM) * card.bytes());
    }

    /** The most frames (1 + 8k, within the API's limits) of {@code bucket} that fit, if even the fewest do. */
    public Optional<TrainingShape> longestWindow(Card card, StepRecipe recipe, Bucket bucket) {
        TrainingShape best = null;
        for (int frames = TrainingInput.MIN_FRAMES; frames <= TrainingInput.MAX_FRAMES; frames += 8) {
            var shape = new TrainingShape(bucket, frames, KEYFRAMES);
            if (step(recipe, shape).total() <= card.bytes()) {
                best = shape;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The window with the most tokens, over all buckets, that fits. */
    public Optional<TrainingShape> largestJob(Card card, StepRecipe recipe) {
        return buckets().stream()
                .flatMap(bucket -> longestWindow(card, recipe, bucket).stream())
                .reduce((a, b) -> b.tokens() > a.tokens() ? b : a);
    }

    /** The most tokens a step can hold on the card, whatever window they come from. */
    public long tokenLimit(Card card, StepRecipe recipe) {
        long low = 0;
        long high = 1L << 22;
        while (low < high) {
            long mid = (low + high + 1) / 2;
            if (StepMemory.onGpu(config, lora, recipe, mid).total() <= card.bytes()) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    /** Every bucket the API offers, low to high. */
    public static List<Bucket> buckets() {
        var buckets = new ArrayList<Bucket>();
        for (Resolution resolution : Resolution.values()) {
            for (AspectRatio aspect : AspectRatio.values()) {
                buckets.add(Bucket.of(resolution, aspect));
            }
        }
        return buckets;
    }

    /** The doc's tables. */
    public String markdown() {
        return new MemoryPlanTables(this, CARDS, DEFAULT, RECIPES).markdown();
    }

    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / (double) (1L << 30));
    }

    /** Prints the tables for docs/GPU.md. */
    public static void main(String[] args) {
        System.out.print(ltx23().markdown());
    }
}
