package org.ltxfleet.model.preset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EncodersTest {

    @Test
    void tinyHasBothEncodersAndItsIdsEnterTheCacheKey() {
        Encoders encoders = Encoders.of("tiny");
        assertThat(encoders.vae().latentChannels()).isEqualTo(128);
        assertThat(encoders.id()).contains(encoders.vae().id()).contains(encoders.text().id());
    }

    @Test
    void ltx23SaysWhatIsMissingAndWhatToRunInstead() {
        assertThatThrownBy(() -> Encoders.of("ltx-2.3")).hasMessageContaining("text encoder (Gemma 3)")
                .hasMessageContaining("model.preset=tiny");
    }
}
