package org.ltxfleet.gateway.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ltxfleet.gateway.projection.ListPosition;

class HistoryCursorTest {

    @Test
    void givesBackThePositionItWasMadeFromToTheNanosecond() {
        var position = new ListPosition(Instant.parse("2026-11-24T10:15:30.123456789Z"), "8c1f-4e2a:retry_2.b");
        String cursor = HistoryCursor.encode(position);
        assertThat(HistoryCursor.parse(cursor)).isEqualTo(position);
    }

    @Test
    void isUrlSafeWithoutPadding() {
        for (int i = 0; i < 40; i++) {
            String cursor = HistoryCursor.encode(new ListPosition(Instant.ofEpochSecond(1_700_000_000L + i, i * 7),
                    "id-" + "x".repeat(i)));
            assertThat(cursor).matches("[A-Za-z0-9_-]+");
        }
    }

    @Test
    void positionsSortNewestFirstThenByRequestId() {
        Instant t = Instant.parse("2026-11-24T10:00:00Z");
        var newer = new ListPosition(t.plusNanos(1), "z");
        var a = new ListPosition(t, "a");
        var b = new ListPosition(t, "b");
        assertThat(newer).isLessThan(a);
        assertThat(a).isLessThan(b);
        assertThat(a.compareTo(new ListPosition(t, "a"))).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not base64!", "bm90IGEgY3Vyc29y", "%%%", "AAAA"})
    void rejectsWhatItDidNotMake(String cursor) {
        assertThatThrownBy(() -> HistoryCursor.parse(cursor)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsAForgedCursorWithABadInstantOrRequestId() {
        for (String inside : new String[] {"1|yesterday|abc", "1|2026-11-24T10:00:00Z|../../etc", "1|2026-11-24T10:00:00Z|",
                "2|2026-11-24T10:00:00Z|abc", "1|2026-11-24T10:00:00Z", "1|1969-12-31T23:59:59Z|abc",
                "1|+10000-01-01T00:00:00Z|abc"}) {
            String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(inside.getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> HistoryCursor.parse(forged)).as(inside).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void rejectsAnOverlongCursorBeforeDecodingIt() {
        assertThatThrownBy(() -> HistoryCursor.parse("A".repeat(100_000))).isInstanceOf(IllegalArgumentException.class);
    }
}
