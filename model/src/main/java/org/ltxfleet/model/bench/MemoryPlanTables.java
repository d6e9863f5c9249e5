package org.ltxfleet.model.bench;

import static org.ltxfleet.model.bench.MemoryPlan.gib;

import java.util.List;
import java.util.Locale;
import org.ltxfleet.common.job.AspectRatio;
import org.ltxfleet.common.job.Bucket;
import org.ltxfleet.common.job.Resolution;
import org.ltxfleet.common.job.TrainingInput;

/** Renders a {@link MemoryPlan} as the Markdown tables of docs/GPU.md. */
final class MemoryPlanTables {

    /** The smallest job, the API's default job and the largest job. */
    private static final List<TrainingShape> REFERENCES = List.of(
            new TrainingShape(Bucket.of(Resolution.LOW, AspectRatio.LANDSCAPE), TrainingInput.MIN_FRAMES, MemoryPlan.KEYFRAMES),
            new TrainingShape(Bucket.of(Resolution.MEDIUM, AspectRatio.SQUARE), 89, MemoryPlan.KEYFRAMES),
            new TrainingShape(Bucket.of(Resolution.HIGH, AspectRatio.SQUARE), TrainingInput.MAX_FRAMES, MemoryPlan.KEYFRAMES));

    private final MemoryPlan plan;
    private final List<Card> cards;
    private final List<StepRecipe> perBucket;
    private final List<StepRecipe> all;

    MemoryPlanTables(MemoryPlan plan, List<Card> cards, List<StepRecipe> perBucket, List<StepRecipe> all) {
        this.plan = plan;
        this.cards = cards;
        this.perBucket = perBucket;
        this.all = all;
    }

    String markdown() {
        return longestWindows() + "\n" + largestJobs() + "\n" + breakdown();
    }

    /** Per bucket and card: the most frames that fit, with the peak in GiB. */
    private String longestWindows() {
        var header = new StringBuilder("| bucket |");
        var rule = new StringBuilder("|---|");
        for (Card card : cards) {
            for (StepRecipe recipe : perBucket) {
                header.append(' ').append(card.name()).append(", ").append(recipe.name()).append(" |");
                rule.append("---|");
            }
        }
        var table = new StringBuilder(header).append('\n').append(rule).append('\n');
        for (Resolution resolution : Resolution.values()) {
            for (AspectRatio aspect : AspectRatio.values()) {
                Bucket bucket = Bucket.of(resolution, aspect);
                table.append("| ").append(label(resolution, aspect, bucket)).append(" |");
                for (Card card : cards) {
                    for (StepRecipe recipe : perBucket) {
                        table.append(' ').append(plan.longestWindow(card, recipe, bucket)
                                .map(shape -> shape.frames() + " frames (" + gib(plan.step(recipe, shape).total()) + " GiB)")
                                .orElse("none")).append(" |");
                    }
                }
                table.append('\n');
            }
        }
        return table.toString();
    }

    /** Per card and recipe: the job with the most tokens that fits, and how many tokens would. */
    private String largestJobs() {
        var table = new StringBuilder("| card | recipe | largest job that fits | tokens | most tokens that fit |\n"
                + "|---|---|---|---|---|\n");
        for (Card card : cards) {
            for (StepRecipe recipe : all) {
                var job = plan.largestJob(card, recipe);
                table.append("| ").append(card.name()).append(" | ").append(recipe.name()).append(" | ")
                        .append(job.map(MemoryPlanTables::label).orElse("none")).append(" | ")
                        .append(job.map(shape -> thousands(shape.tokens())).orElse("–")).append(" | ")
                        .append(thousands(plan.tokenLimit(card, recipe))).append(" |\n");
            }
        }
        return table.toString();
    }

    /** The peak's parts in GiB at the reference windows. */
    private String breakdown() {
        var table = new StringBuilder("| window | tokens | recipe | frozen base | adapters + AdamW | checkpoints "
                + "| step tensors | block tensors | weight casts | attention | backward | margin | total |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (TrainingShape shape : REFERENCES) {
            for (StepRecipe recipe : all) {
                StepMemory m = plan.step(recipe, shape);
                table.append("| ").append(label(shape)).append(" | ").append(thousands(shape.tokens())).append(" | ")
                        .append(recipe.name());
                for (long part : new long[] {m.frozenBase(), m.adapters(), m.checkpoints(), m.step(), m.blocks(),
                        m.weightCasts(), m.attention(), m.backward(), m.margin()}) {
                    table.append(" | ").append(gib(part));
                }
                table.append(" | **").append(gib(m.total())).append("** |\n");
            }
        }
        return table.toString();
    }

    private static String label(TrainingShape shape) {
        for (Resolution resolution : Resolution.values()) {
            for (AspectRatio aspect : AspectRatio.values()) {
                if (Bucket.of(resolution, aspect).equals(shape.bucket())) {
                    return label(resolution, aspect, shape.bucket()) + " × " + shape.frames() + " frames";
                }
            }
        }
        return shape.bucket().width() + "×" + shape.bucket().height() + " × " + shape.frames() + " frames";
    }

    private static String label(Resolution resolution, AspectRatio aspect, Bucket bucket) {
        return resolution.wireName() + " " + aspect.wireName() + " (" + bucket.width() + "×" + bucket.height() + ")";
    }

    private static String thousands(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
