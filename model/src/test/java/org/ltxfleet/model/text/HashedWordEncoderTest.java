package org.ltxfleet.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ltxfleet.model.latent.TextFeatures;

class HashedWordEncoderTest {

    private final HashedWordEncoder encoder = new HashedWordEncoder(64);

    @Test
    void isDeterministicAndTellsPromptsApart() {
        TextFeatures a = encoder.encode("A red disc, moving left");
        assertThat(a.tokens()).isEqualTo(HashedWordEncoder.MAX_TOKENS);
        assertThat(a.width()).isEqualTo(64);
        assertThat(encoder.encode("a RED disc moving left").data()).containsExactly(a.data());
        assertThat(encoder.encode("a blue disc moving left").data()).isNotEqualTo(a.data());
    }

    @Test
    void emptyPromptIsAllZeroAndLongPromptsAreCut() {
        assertThat(encoder.encode("").data()).containsOnly(0f);
        String longPrompt = "word ".repeat(100);
        assertThat(encoder.encode(longPrompt).data()).doesNotContain(Float.NaN);
        assertThat(encoder.encode(longPrompt).tokens()).isEqualTo(HashedWordEncoder.MAX_TOKENS);
    }
}
