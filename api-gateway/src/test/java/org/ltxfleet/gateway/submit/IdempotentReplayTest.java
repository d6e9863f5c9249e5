package org.ltxfleet.gateway.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.ltxfleet.gateway.projection.JobProjection;

class IdempotentReplayTest {

    private static final JobProjection.Submission FIRST = new JobProjection.Submission("r", "k", "sha",
            "https://example.com/hook", "normal", Duration.ofSeconds(60));
    private static final IdempotentReplay.Options SAME =
            new IdempotentReplay.Options("https://example.com/hook", "normal", Duration.ofSeconds(60));

    @Test
    void theSameRequestIsAReplay() {
        assertThat(IdempotentReplay.differences(FIRST, "k", "sha", SAME)).isEmpty();
    }

    @Test
    void namesEveryOptionThatDiffers() {
        assertThat(IdempotentReplay.differences(FIRST, "k", "other", new IdempotentReplay.Options(null, "low", null)))
                .containsExactly("body", "fal_webhook", "x-fal-queue-priority", "X-Fal-Request-Timeout");
        assertThat(IdempotentReplay.differences(FIRST, "k", "sha",
                new IdempotentReplay.Options("https://example.com/other", "normal", Duration.ofSeconds(60))))
                .containsExactly("fal_webhook");
        assertThat(IdempotentReplay.differences(FIRST, "another-key", "sha", SAME)).containsExactly("body");
    }
}
