package org.ltxfleet.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PendingRedeliveriesTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private final PendingRedeliveries pending = new PendingRedeliveries(Duration.ofMinutes(1));

    @Test
    void concurrentCallsClaimOneRedelivery() throws Exception {
        var claimed = new AtomicInteger();
        var go = new CountDownLatch(1);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 50; i++) {
                threads.submit(() -> {
                    go.await();
                    pending.claim("r", 1, NOW).ifPresent(c -> claimed.incrementAndGet());
                    return null;
                });
            }
            go.countDown();
        }
        assertThat(claimed).hasValue(1);
        assertThat(pending.claim("other", 1, NOW)).as("another job's redelivery is its own").isPresent();
    }

    @Test
    void aClaimIsPendingUntilANewAttemptIsListedOrItsTimeHasPassed() {
        assertThat(pending.claim("r", 1, NOW)).isPresent();
        assertThat(pending.claim("r", 1, NOW.plusSeconds(59))).as("no attempt yet").isEmpty();
        assertThat(pending.claim("r", 2, NOW.plusSeconds(1))).as("its attempt was listed").isPresent();
        assertThat(pending.claim("r", 2, NOW.plusSeconds(61 + 1))).as("never attempted (an archived job)").isPresent();
    }

    @Test
    void aReleasedClaimFreesTheJob() {
        var claim = pending.claim("r", 1, NOW).orElseThrow();
        pending.release(claim);
        assertThat(pending.claim("r", 1, NOW)).isPresent();
    }

    @Test
    void gatewaysThatSeeTheSameAttemptsInOneWindowRaceForOneMarker() {
        var here = new PendingRedeliveries.Claim("r", 3, NOW);
        var there = new PendingRedeliveries.Claim("r", 3, NOW.plusSeconds(10));
        assertThat(pending.markerKey(here)).isEqualTo(pending.markerKey(there)).startsWith("jobs/r/");
        assertThat(pending.markerKey(new PendingRedeliveries.Claim("r", 4, NOW))).isNotEqualTo(pending.markerKey(here));
    }
}
