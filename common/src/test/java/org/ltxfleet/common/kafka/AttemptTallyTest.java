package org.ltxfleet.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AttemptTallyTest {

    private static final long NOW = 1_800_000_000_000L;
    private static final StageConsumer.Options STAGE = new StageConsumer.Options(3, Duration.ofHours(2),
            Duration.ofSeconds(2));

    @Test
    void aJobThatAsksForOneAttemptIsOverAfterItsFirstFailedOne() {
        var failedOnce = AttemptTally.read(null, NOW).attempted();

        assertThat(failedOnce.exhausted(STAGE, NOW)).as("retried as the stage says").isNull();
        assertThat(failedOnce.exhausted(STAGE.withoutRetries(), NOW)).isEqualTo("1 attempt(s) without an outcome");
    }

    @Test
    void aWorkerThatDiedMidAttemptUsedTheOnlyAttempt() {
        // What a killed worker leaves: the attempt was committed before it ran.
        var crashed = AttemptTally.read("attempts=1;handbacks=0;since=" + (NOW - 60_000), NOW);

        assertThat(crashed.exhausted(STAGE, NOW)).isNull();
        assertThat(crashed.exhausted(STAGE.withoutRetries(), NOW)).isNotNull();
    }

    @Test
    void aHandBackIsNoFailedAttempt() {
        var handedBack = AttemptTally.read(null, NOW).attempted().handedBack();

        assertThat(handedBack.exhausted(STAGE.withoutRetries(), NOW)).isNull();
    }

    @Test
    void oneAttemptKeepsTheStagesOtherLimits() {
        var once = STAGE.withoutRetries();

        assertThat(once.maxAttempts()).isEqualTo(1);
        assertThat(once).usingRecursiveComparison().ignoringFields("maxAttempts").isEqualTo(STAGE);
    }
}
