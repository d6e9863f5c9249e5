package org.ltxfleet.model.golden;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.ltxfleet.model.parity.Comparison;
import org.ltxfleet.model.parity.Parity;
import org.ltxfleet.model.parity.TransformerParity;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.transformer.TransformerConfig;
import org.ltxfleet.model.transformer.VideoTransformer;

/**
 * Our video transformer, RoPE and guider against the official LTX-2.3 ones at tiny widths
 * ({@code testdata/golden/ltx23/transformer}; its README gives the cases and tolerances).
 */
class TransformerGoldenTest {

    static final Path GOLDEN = Golden.ROOT;
    static final Path DIR = GOLDEN.resolve("ltx23").resolve("transformer");

    @Test
    void everyCaseIsWithinTheReferencesTolerance() throws IOException {
        Golden.require(DIR);
        var comparisons = TransformerParity.run(DIR);
        comparisons.forEach(System.out::println);
        assertThat(comparisons).hasSize(11).allSatisfy(c -> assertThat(c.passed()).as(c.toString()).isTrue());
        assertThat(comparisons).extracting(Comparison::name).contains("caseC guided x0", "caseB velocity (3 keyframes)");
    }

    @Test
    void parityFindsTheFolderFromAnyLevelAndNamesWhatItCannotCompare() throws IOException {
        Golden.require(DIR);
        for (Path root : new Path[] {GOLDEN, GOLDEN.resolve("ltx23"), DIR}) {
            assertThat(Parity.run(root).compared()).as(root.toString()).containsKey("ltx23/transformer");
        }
        var onlyTransformer = Parity.run(DIR);
        assertThat(onlyTransformer.notCompared()).isEmpty();
        assertThat(onlyTransformer.passed()).isTrue();
        // A folder found but not compared keeps the whole from passing.
        var everything = Parity.run(GOLDEN);
        assertThat(everything.passed()).isEqualTo(everything.notCompared().isEmpty());
    }

    @Test
    void aDifferenceBeyondTheToleranceFailsAndNaNNeverPasses() {
        assertThat(Comparison.of("x", new float[] {1, 2}, new float[] {1, 2.0002f}, 1e-4).passed()).isFalse();
        assertThat(Comparison.of("x", new float[] {1, 2}, new float[] {1, 2.00005f}, 1e-4).passed()).isTrue();
        assertThat(Comparison.of("x", new float[] {Float.NaN, 2}, new float[] {1, 2}, 1e-4).passed()).isFalse();
    }

    /** The golden model's config, as its weights' metadata gives it. */
    static TransformerConfig config() throws IOException {
        return TransformerParity.config(DIR);
    }

    /** Prints the comparison and fails it beyond the tolerance. */
    static void assertClose(String what, float[] actual, float[] expected, double tolerance) {
        var comparison = Comparison.of(what, actual, expected, tolerance);
        System.out.println(comparison);
        assertThat(comparison.passed()).as(comparison.toString()).isTrue();
    }
}
