package org.ltxfleet.model.parity;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.model.objective.SigmaSampler;
import org.ltxfleet.model.sampling.SigmaSchedule;

/**
 * Our inference σ schedule and training σ sampler against {@code golden/ltx23/schedule} (its README:
 * LTX2Scheduler's schedules at 8 and 30 steps for several token counts, and ltx-trainer's
 * shifted-logit-normal sampler fed its own raw draws). Entries of modes we do not have (the
 * unstretched schedule, the uniform sampler) are left out; an entry we cannot name is refused.
 */
public final class ScheduleParity {

    /** The README's bound for a port that computes in double. */
    private static final double TOLERANCE = 1e-6;
    /** {@code steps8.tokens1024}, {@code steps30.pipeline_default(tokens=4096)}, {@code steps8.tokens4096.no_stretch}. */
    private static final Pattern SCHEDULE =
            Pattern.compile("steps(\\d+)\\.(?:pipeline_default\\(tokens=\\d+\\)|tokens(\\d+))(\\.no_stretch)?");
    /** {@code shifted_logit_normal.seq12.seed0}, {@code shifted_logit_normal.seq1024.chosen_draws}. */
    private static final Pattern SAMPLER = Pattern.compile("shifted_logit_normal\\.seq(\\d+)\\.(.+)");

    private ScheduleParity() {
    }

    /** Every comparison the folder's schedule.json allows. */
    public static List<Comparison> run(Path folder) throws IOException {
        JsonNode golden = Json.mapper().readTree(folder.resolve("schedule.json").toFile());
        var results = new ArrayList<Comparison>();
        for (Map.Entry<String, JsonNode> entry : golden.get("schedules").properties()) {
            Matcher m = matching(SCHEDULE, entry.getKey());
            if (m.group(3) != null) {
                continue; // unstretched: no official pipeline samples with it, nor do we
            }
            int steps = Integer.parseInt(m.group(1));
            // The pipeline default is what our sampler uses, whatever token count the entry's name states.
            double[] ours = m.group(2) == null ? SigmaSchedule.of(steps) : SigmaSchedule.of(steps, Long.parseLong(m.group(2)));
            results.add(Comparison.of("schedule " + entry.getKey(), ours, doubles(entry.getValue()), TOLERANCE));
        }
        for (Map.Entry<String, JsonNode> entry : golden.get("sampler").properties()) {
            if (entry.getKey().startsWith("uniform.")) {
                continue; // we have no uniform sampling mode
            }
            Matcher m = matching(SAMPLER, entry.getKey());
            long tokens = Long.parseLong(m.group(1));
            JsonNode draws = entry.getValue();
            results.add(Comparison.of("sampler " + entry.getKey() + " mu", new double[] {SigmaSampler.shift(tokens)},
                    new double[] {draws.get("mu").asDouble()}, TOLERANCE));
            double[] normal = doubles(draws.get("raw_normal"));
            double[] uniform = doubles(draws.get("raw_uniform"));
            double[] choice = doubles(draws.get("raw_choice"));
            double[] ours = new double[normal.length];
            for (int i = 0; i < ours.length; i++) {
                ours[i] = SigmaSampler.sigma(normal[i], uniform[i], choice[i], tokens);
            }
            results.add(Comparison.of("sampler " + entry.getKey() + " sigma", ours, doubles(draws.get("sigma")),
                    TOLERANCE));
        }
        return results;
    }

    private static Matcher matching(Pattern pattern, String name) {
        Matcher m = pattern.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("schedule.json: unknown entry " + name);
        }
        return m;
    }

    private static double[] doubles(JsonNode list) {
        if (!list.isArray()) {
            throw new IllegalArgumentException("schedule.json: a list of numbers expected, got " + list);
        }
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i).asDouble();
        }
        return out;
    }
}
