package org.ltxfleet.gateway.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.MultiMap;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.job.InvalidInputException;
import org.ltxfleet.common.job.ValidationProblem;
import org.ltxfleet.gateway.projection.JobPhase;
import org.ltxfleet.gateway.projection.ListPosition;

class HistoryQueryTest {

    private static MultiMap params(String... pairs) {
        var params = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < pairs.length; i += 2) {
            params.add(pairs[i], pairs[i + 1]);
        }
        return params;
    }

    private static List<ValidationProblem> problems(MultiMap params) {
        return catchThrowableOfType(InvalidInputException.class, () -> HistoryQuery.parse(params)).problems();
    }

    @Test
    void withoutParametersAsksForTheTwentyNewestOfEveryState() {
        assertThat(HistoryQuery.parse(params())).isEqualTo(new HistoryQuery(20, null, null));
        assertThat(HistoryQuery.parse(params("limit", "", "cursor", "", "status", ""))).isEqualTo(new HistoryQuery(20, null, null));
    }

    @Test
    void readsLimitCursorAndStatus() {
        var after = new ListPosition(Instant.parse("2026-11-24T10:00:00Z"), "abc");
        var query = HistoryQuery.parse(params("limit", "100", "cursor", HistoryCursor.encode(after), "status", "FAILED"));
        assertThat(query).isEqualTo(new HistoryQuery(100, after, JobPhase.FAILED));
        assertThat(HistoryQuery.parse(params("limit", "1")).limit()).isEqualTo(1);
    }

    @Test
    void takesTheStatesInAnyCaseAndCancelledAsCanceled() {
        assertThat(HistoryQuery.parse(params("status", "in_progress")).status()).isEqualTo(JobPhase.IN_PROGRESS);
        assertThat(HistoryQuery.parse(params("status", "In_Queue")).status()).isEqualTo(JobPhase.IN_QUEUE);
        assertThat(HistoryQuery.parse(params("status", "canceled")).status()).isEqualTo(JobPhase.CANCELED);
        assertThat(HistoryQuery.parse(params("status", "CANCELLED")).status()).isEqualTo(JobPhase.CANCELED);
        assertThat(HistoryQuery.parse(params("status", "completed")).status()).isEqualTo(JobPhase.COMPLETED);
    }

    @Test
    void aLimitOutsideOneToAHundredOrNotAWholeNumberNamesLimit() {
        for (String limit : new String[] {"0", "101", "-5", "ten", "2.5", "99999999999999999999"}) {
            var problems = problems(params("limit", limit));
            assertThat(problems).as(limit).singleElement().satisfies(p -> {
                assertThat(p.loc()).containsExactly("query", "limit");
                assertThat(p.msg()).contains("1").contains("100");
            });
        }
    }

    @Test
    void anUnknownStatusNamesStatusAndTheStatesThereAre() {
        var problems = problems(params("status", "DONE"));
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.loc()).containsExactly("query", "status");
            assertThat(p.msg()).contains("IN_QUEUE", "IN_PROGRESS", "COMPLETED", "FAILED", "CANCELED");
            assertThat(p.type()).isEqualTo("enum");
        });
    }

    @Test
    void everyBadParameterIsNamedAtOnce() {
        var problems = problems(params("limit", "0", "cursor", "garbage!", "status", "nope"));
        assertThat(problems).extracting(ValidationProblem::loc).containsExactly(
                List.of("query", "limit"), List.of("query", "cursor"), List.of("query", "status"));
        assertThat(problems.get(1).msg()).doesNotContain("Exception").contains("next_cursor");
    }
}
