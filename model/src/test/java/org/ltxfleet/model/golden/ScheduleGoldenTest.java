package org.ltxfleet.model.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.model.objective.SigmaSampler;
import org.ltxfleet.model.sampling.SigmaSchedule;

/**
 * Our inference σ schedule and training σ sampler against the official LTX-2 ones
 * ({@code ../shared/golden/ltx23/schedule}, its README gives the formulas, entries and tolerances).
 */
class ScheduleGoldenTest {

    static final Path DIR = Path.of(System.getProperty("golden.dir", "../../shared/golden"), "ltx23", "schedule");
    /** The README's bound for a port that does not mirror float32 (we compute in double). */
    static final double SCHEDULE_TOLERANCE = 1e-6;
    static final double SAMPLER_TOLERANCE = 1e-6;

    /** {@code steps8.tokens1024}, {@code steps30.pipeline_default(tokens=4096)}, {@code steps8.tokens4096.no_stretch}. */
    private static final Pattern SCHEDULE =
            Pattern.compile("steps(\\d+)\\.(?:pipeline_default\\(tokens=\\d+\\)|tokens(\\d+))(\\.no_stretch)?");
    /** {@code shifted_logit_normal.seq12.seed0}, {@code shifted_logit_normal.seq1024.chosen_draws}. */
    private static final Pattern SAMPLER = Pattern.compile("shifted_logit_normal\\.seq(\\d+)\\.(.+)");

    @Test
    void schedulesMatch() throws IOException {
        assumeTrue(Files.isDirectory(DIR), "no golden data at " + DIR);
        List<String> compared = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : golden().get("schedules").properties()) {
            String name = entry.getKey();
            Matcher m = SCHEDULE.matcher(name);
            assertThat(m.matches()).as("unknown schedule entry " + name).isTrue();
            if (m.group(3) != null) {
                // We only sample with the stretched schedule, as every official pipeline does.
                System.out.printf("%s: skipped, we have no unstretched schedule%n", name);
                continue;
            }
            int steps = Integer.parseInt(m.group(1));
            // The pipeline default is whatever our sampler uses, not the token count the entry's name states.
            double[] ours = m.group(2) == null ? SigmaSchedule.of(steps)
                    : SigmaSchedule.of(steps, Long.parseLong(m.group(2)));
            assertClose(name, ours, doubles(entry.getValue()), SCHEDULE_TOLERANCE);
            compared.add(name);
        }
        assertThat(compared).as("compared schedules").hasSize(8)
                .contains("steps8.pipeline_default(tokens=4096)", "steps30.pipeline_default(tokens=4096)");
    }

    @Test
    void samplerTurnsTheTrainersRawDrawsIntoItsSigmas() throws IOException {
        assumeTrue(Files.isDirectory(DIR), "no golden data at " + DIR);
        List<String> compared = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : golden().get("sampler").properties()) {
            String name = entry.getKey();
            Matcher m = SAMPLER.matcher(name);
            if (!m.matches()) {
                assertThat(name).as("unknown sampler entry").startsWith("uniform.");
                System.out.printf("%s: skipped, we have no uniform sampling mode%n", name);
                continue;
            }
            long tokens = Long.parseLong(m.group(1));
            JsonNode draws = entry.getValue();
            assertClose(name + " mu", new double[] {SigmaSampler.shift(tokens)},
                    new double[] {draws.get("mu").asDouble()}, 1e-12);
            double[] normal = doubles(draws.get("raw_normal"));
            double[] uniform = doubles(draws.get("raw_uniform"));
            double[] choice = doubles(draws.get("raw_choice"));
            double[] ours = new double[normal.length];
            for (int i = 0; i < ours.length; i++) {
                ours[i] = SigmaSampler.sigma(normal[i], uniform[i], choice[i], tokens);
            }
            assertClose(name + " sigma", ours, doubles(draws.get("sigma")), SAMPLER_TOLERANCE);
            compared.add(m.group(2));
        }
        assertThat(compared).as("compared sampler entries").hasSize(10)
                .contains("chosen_draws", "seed0", "seed1");
    }

    private static JsonNode golden() throws IOException {
        return Json.mapper().readTree(DIR.resolve("schedule.json").toFile());
    }

    private static double[] doubles(JsonNode list) {
        assertThat(list.isArray()).as("a list of numbers: " + list).isTrue();
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i).asDouble();
        }
        return out;
    }

    static void assertClose(String what, double[] actual, double[] expected, double tolerance) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        double max = 0;
        int worst = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = Math.abs(actual[i] - expected[i]);
            if (!(d <= max)) {
                max = d;
                worst = i;
            }
        }
        System.out.printf("%s: max |diff| %.3g at %d (ours %.9f, official %.9f)%n", what, max, worst, actual[worst],
                expected[worst]);
        assertThat(max).as(what + ": max |diff| at element " + worst).isLessThanOrEqualTo(tolerance);
    }
}
