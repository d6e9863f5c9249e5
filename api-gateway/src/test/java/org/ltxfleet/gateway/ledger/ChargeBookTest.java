package org.ltxfleet.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.kafka.BillingRecord;
import org.ltxfleet.gateway.projection.JobPhase;

class ChargeBookTest {

    private static final Instant DAY = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant FROM = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-12-03T00:00:00Z");

    private static BillingRecord charge(String id, String key, long units, Instant at) {
        return BillingRecord.of(id, key, "fal-ai/ltx2-v2v-trainer", units, at);
    }

    @Test
    void settledChargesBecomeOneTotalPerKeyAndDayAndTheirIdsAreStillNotChargedTwice() {
        var book = new ChargeBook(Duration.ofDays(7));
        for (int i = 0; i < 1000; i++) {
            book.add(charge("job-" + i, "k1", 10, DAY.plusSeconds(i)));
        }
        book.add(charge("failed-first", "k1", 10, DAY));
        book.add(charge("other-key", "k2", 5, DAY));
        Instant now = DAY.plus(Duration.ofDays(8));
        for (int i = 0; i < 1000; i++) {
            book.settle("job-" + i, JobPhase.COMPLETED, now);
        }
        book.settle("failed-first", JobPhase.FAILED, now);

        assertThat(book.openCharges()).as("only the unsettled charge stays one by one").isEqualTo(1);
        assertThat(book.save().totals()).hasSize(1);
        assertThat(book.usage("k1", FROM, TO, c -> true)).containsExactly(
                new BillingLedger.DayUsage(LocalDate.parse("2026-12-01"), 1000, 10_000,
                        new java.math.BigDecimal("24.0000")));
        assertThat(book.add(charge("job-7", "k1", 10, DAY))).as("a redelivered charge").isFalse();
        assertThat(book.add(charge("failed-first", "k1", 10, DAY))).isFalse();
        assertThat(book.billedUnits(c -> true)).isEqualTo(10_000 + 5);
    }

    @Test
    void openChargesCountByTheirTimeAndSettledOnesByTheWholeDay() {
        var book = new ChargeBook(Duration.ofDays(7));
        book.add(charge("early", "k1", 1, Instant.parse("2026-12-02T01:00:00Z")));
        book.add(charge("late", "k1", 2, Instant.parse("2026-12-02T23:00:00Z")));
        book.settle("early", JobPhase.COMPLETED, DAY.plus(Duration.ofDays(9)));
        // From noon of the 2nd: the settled day counts whole, the open charge by its time.
        var usage = book.usage("k1", Instant.parse("2026-12-02T12:00:00Z"), TO, c -> true);
        assertThat(usage).hasSize(1);
        assertThat(usage.get(0).jobs()).isEqualTo(2);
        assertThat(book.usage("k1", Instant.parse("2026-12-02T12:00:00Z"), TO, c -> false).get(0).jobs())
                .as("an open charge the projection refuses").isEqualTo(1);
    }

    @Test
    void settledIdsAreForgottenAfterTheirRetentionAndTheBookSurvivesASnapshot() {
        var book = new ChargeBook(Duration.ofDays(7));
        book.add(charge("a", "k1", 3, DAY));
        book.add(charge("b", "k1", 4, DAY));
        book.add(charge("open", "k1", 5, DAY));
        book.settle("a", JobPhase.COMPLETED, DAY.plus(Duration.ofDays(1)));
        book.settle("b", JobPhase.COMPLETED, DAY.plus(Duration.ofDays(9)));
        assertThat(book.save().settled()).as("a was settled more than 7 days before b").containsOnlyKeys("b");

        var saved = book.save();
        var restored = new ChargeBook(Duration.ofDays(7));
        restored.restore(saved.charges(), saved.totals(), saved.settled());
        assertThat(restored.usage("k1", FROM, TO, c -> true)).isEqualTo(book.usage("k1", FROM, TO, c -> true));
        assertThat(restored.add(charge("b", "k1", 4, DAY))).isFalse();
        assertThat(restored.add(charge("open", "k1", 5, DAY))).isFalse();
        assertThat(restored.openCharges()).isEqualTo(1);
    }
}
