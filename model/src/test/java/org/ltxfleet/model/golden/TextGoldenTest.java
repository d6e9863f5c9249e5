package org.ltxfleet.model.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.ltxfleet.model.parity.Comparison;
import org.ltxfleet.model.parity.Parity;
import org.ltxfleet.model.parity.TextParity;

/**
 * Our LTX-2.3 feature extractor and embeddings connectors against the official ones at tiny widths
 * ({@code testdata/golden/ltx23/text}; its README gives the computation and tolerances).
 */
class TextGoldenTest {

    static final Path DIR = TransformerGoldenTest.GOLDEN.resolve("ltx23").resolve("text");

    @Test
    void everyQuantityIsWithinTheReferencesTolerance() throws IOException {
        Golden.require(DIR);
        var comparisons = TextParity.run(DIR);
        comparisons.forEach(System.out::println);
        assertThat(comparisons).hasSize(17).allSatisfy(c -> assertThat(c.passed()).as(c.toString()).isTrue());
        assertThat(comparisons).extracting(Comparison::name)
                .contains("video encoding", "audio encoding", "video features", "video connector block 1");
    }

    @Test
    void parityComparesTheTextFolder() throws IOException {
        Golden.require(DIR);
        var report = Parity.run(DIR);
        assertThat(report.compared()).containsOnlyKeys("ltx23/text");
        assertThat(report.notCompared()).isEmpty();
        assertThat(report.passed()).isTrue();
    }
}
