package org.ltxfleet.model.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ltxfleet.model.parity.VaeParity;
import org.ltxfleet.model.vae.ltx.LtxVae;
import org.ltxfleet.model.vae.ltx.VaeConfig;

/**
 * Our LTX video VAE against the official LTX-2.3 one at tiny widths
 * ({@code testdata/golden/ltx23/vae}, its README gives the cases and tolerances): the real block
 * layout with 4 latent channels, built from the config in the weights' metadata.
 */
class VaeGoldenTest {

    static final Path DIR = Golden.ROOT.resolve("ltx23").resolve("vae");
    @Test
    void configIsTheRealLayoutAtTinyWidths() throws IOException {
        Golden.require(DIR);
        try (LtxVae vae = load()) {
            VaeConfig real = VaeConfig.ltx23();
            assertThat(vae.config().encoderBlocks()).isEqualTo(real.encoderBlocks());
            assertThat(vae.config().decoderBlocks()).isEqualTo(real.decoderBlocks());
            assertThat(vae.config().latentChannels()).isEqualTo(4);
            assertThat(vae.config().decoderBottleneckChannels()).isEqualTo(32);
            assertThat(vae.parameterCount()).isEqualTo(317_843L + 403_440L + 2 * 4);
        }
    }

    @Test
    void everyCaseIsWithinTheReferencesTolerance() throws IOException {
        Golden.require(DIR);
        var comparisons = VaeParity.run(DIR);
        comparisons.forEach(System.out::println);
        assertThat(comparisons).hasSize(5).allSatisfy(c -> assertThat(c.passed()).as(c.toString()).isTrue());
    }

    private static LtxVae load() throws IOException {
        return LtxVae.load(List.of(DIR.resolve("weights.safetensors")));
    }
}
