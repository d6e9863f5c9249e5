package org.ltxfleet.model.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.ltxfleet.model.parity.Comparison;
import org.ltxfleet.model.parity.ScheduleParity;

/**
 * Our σ schedule and training σ sampler against the official LTX-2 ones
 * ({@code testdata/golden/ltx23/schedule}; its README gives the entries and tolerances).
 */
class ScheduleGoldenTest {

    static final Path DIR = Golden.ROOT.resolve("ltx23").resolve("schedule");

    @Test
    void everyScheduleAndSamplerEntryMatches() throws IOException {
        Golden.require(DIR);
        var comparisons = ScheduleParity.run(DIR);
        comparisons.forEach(System.out::println);
        // 8 stretched schedules; 10 sampler entries, each its μ and its σ.
        assertThat(comparisons).hasSize(8 + 2 * 10).allSatisfy(c -> assertThat(c.passed()).as(c.toString()).isTrue());
        assertThat(comparisons).extracting(Comparison::name).contains(
                "schedule steps30.pipeline_default(tokens=4096)", "sampler shifted_logit_normal.seq1024.chosen_draws sigma");
    }
}
