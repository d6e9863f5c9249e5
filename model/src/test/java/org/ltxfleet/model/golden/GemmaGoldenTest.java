package org.ltxfleet.model.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.ltxfleet.model.parity.Comparison;
import org.ltxfleet.model.parity.GemmaParity;
import org.ltxfleet.model.parity.Parity;

/**
 * Our Gemma-3 text decoder against transformers' Gemma3TextModel at tiny widths
 * ({@code testdata/golden/gemma3}; its README gives the cases and tolerances).
 */
class GemmaGoldenTest {

    static final Path DIR = TransformerGoldenTest.GOLDEN.resolve("gemma3");

    @Test
    void everyCaseIsWithinTheReferencesTolerance() throws IOException {
        Golden.require(DIR);
        var comparisons = GemmaParity.run(DIR);
        comparisons.forEach(System.out::println);
        // Per case: positions, 2 × (inv_freq, cos, sin, mask), 4 × (attn, mlp), pre-norm output, 5 hidden states.
        assertThat(comparisons).hasSize(2 * 23).allSatisfy(c -> assertThat(c.passed()).as(c.toString()).isTrue());
        assertThat(comparisons).extracting(Comparison::name)
                .contains("case10 hidden state 4", "case16 hidden state 4", "case16 mask sliding_attention");
    }

    @Test
    void parityComparesTheGemmaFolder() throws IOException {
        Golden.require(DIR);
        var report = Parity.run(DIR);
        assertThat(report.compared()).containsOnlyKeys("gemma3");
        assertThat(report.notCompared()).isEmpty();
        assertThat(report.passed()).isTrue();
    }
}
