package org.ltxfleet.gateway.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.JobEvent;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.JobMessage;
import org.ltxfleet.gateway.projection.JobPhase;
import org.ltxfleet.gateway.projection.JobProjection;
import org.ltxfleet.gateway.projection.ListPosition;

/** Pages of a key's jobs merged from the projection and the archive (here an in-memory one). */
class RequestHistoryTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    /** An archive in memory, as the store keeps it: one list per key and state, in list order. */
    static final class MemoryArchive implements HistoryArchive {
        final Map<String, TreeMap<ListPosition, HistoryRow>> lists = new HashMap<>();
        int positionsRead;
        int rowsRead;

        @Override
        public void add(String keyId, HistoryRow row) {
            lists.computeIfAbsent(keyId, k -> new TreeMap<>()).putIfAbsent(row.position(), row);
        }

        @Override
        public List<ListPosition> positions(String keyId, JobPhase status, ListPosition after, int most) {
            var list = lists.getOrDefault(keyId, new TreeMap<>());
            var tail = after == null ? list : list.tailMap(after, false);
            var found = tail.values().stream().filter(r -> status == null || r.status().equals(status.name()))
                    .map(HistoryRow::position).limit(most).toList();
            positionsRead += found.size();
            return found;
        }

        @Override
        public List<HistoryRow> rows(String keyId, List<ListPosition> positions) {
            var list = lists.getOrDefault(keyId, new TreeMap<>());
            rowsRead += positions.size();
            return positions.stream().map(list::get).filter(java.util.Objects::nonNull).toList();
        }
    }

    private final JobProjection projection = new JobProjection();
    private final MemoryArchive archive = new MemoryArchive();
    private final Map<String, Long> charges = new HashMap<>();
    private final RequestHistory history = new RequestHistory(projection, archive,
            id -> Optional.ofNullable(charges.get(id)));

    private void submit(String id, String key, int second) {
        projection.submitted(new JobMessage(1, id, key, "e", T0.plusSeconds(second), null, null, null, null,
                Json.object().put("number_of_steps", 100 + second), null, null));
    }

    private void complete(String id, String key) {
        projection.apply(JobEvent.of(id, key, EventType.COMPLETED, "test", new Payloads.Completed(null, 1.0)));
    }

    private static HistoryRow archivedRow(String id, int second, String status) {
        return new HistoryRow(id, status, T0.plusSeconds(second), T0.plusSeconds(second + 1),
                T0.plusSeconds(second + 2), 500, 500L, status.equals("COMPLETED") ? 500L : null,
                status.equals("FAILED") ? "internal_error" : null, "e");
    }

    private List<String> everyPage(String key, JobPhase status, int limit) {
        var seen = new ArrayList<String>();
        ListPosition after = null;
        for (int pages = 0; pages < 100; pages++) {
            HistoryPage page = history.page(key, new HistoryQuery(limit, after, status));
            page.requests().forEach(r -> seen.add(r.requestId()));
            assertThat(page.requests()).hasSizeLessThanOrEqualTo(limit);
            if (!page.hasMore()) {
                assertThat(page.nextCursor()).isNull();
                return seen;
            }
            assertThat(page.requests()).hasSize(limit);
            after = HistoryCursor.parse(page.nextCursor());
        }
        throw new AssertionError("more than 100 pages");
    }

    @Test
    void pagesCoverTheProjectionAndTheArchiveOnceNewestFirst() {
        for (int i = 0; i < 5; i++) {
            submit("live-" + i, "k", 100 + i * 10);
        }
        for (int i = 0; i < 6; i++) {
            archive.add("k", archivedRow("archived-" + i, i * 10 + (i % 2 == 0 ? 0 : 95), i == 3 ? "FAILED" : "COMPLETED"));
        }
        // archived-1, -3, -5 were submitted among the live jobs' times: the merge interleaves them
        var expected = List.of("archived-5", "live-4", "live-3", "archived-3", "live-2", "live-1", "archived-1",
                "live-0", "archived-4", "archived-2", "archived-0");
        for (int limit : new int[] {1, 2, 3, 4, 11, 12, 100}) {
            assertThat(everyPage("k", null, limit)).as("limit " + limit).isEqualTo(expected);
        }
    }

    @Test
    void aJobBothInTheProjectionAndArchivedShowsOnceAsTheProjectionHasIt() {
        submit("moving", "k", 1);
        complete("moving", "k");
        submit("newer", "k", 2);
        archive.add("k", archivedRow("moving", 1, "COMPLETED"));
        charges.put("moving", 42L);

        HistoryPage page = history.page("k", new HistoryQuery(20, null, null));
        assertThat(page.requests()).extracting(HistoryRow::requestId).containsExactly("newer", "moving");
        assertThat(page.requests().get(1).units()).as("the projection's, from the ledger").isEqualTo(42L);
        assertThat(page.hasMore()).isFalse();
        assertThat(archive.rowsRead).as("no stored row read for a job the projection holds").isZero();
    }

    @Test
    void aFullPageSaysThereIsMoreOnlyWhenThereIs() {
        submit("a", "k", 1);
        submit("b", "k", 2);
        HistoryPage exact = history.page("k", new HistoryQuery(2, null, null));
        assertThat(exact.hasMore()).isFalse();
        assertThat(exact.nextCursor()).isNull();
        archive.add("k", archivedRow("c", 0, "COMPLETED"));
        HistoryPage more = history.page("k", new HistoryQuery(2, null, null));
        assertThat(more.hasMore()).isTrue();
        assertThat(HistoryCursor.parse(more.nextCursor()).requestId()).isEqualTo("a");
    }

    @Test
    void filtersBothSourcesByState() {
        submit("live-done", "k", 10);
        complete("live-done", "k");
        submit("live-queued", "k", 11);
        archive.add("k", archivedRow("old-done", 1, "COMPLETED"));
        archive.add("k", archivedRow("old-failed", 2, "FAILED"));

        assertThat(everyPage("k", JobPhase.COMPLETED, 1)).containsExactly("live-done", "old-done");
        assertThat(everyPage("k", JobPhase.FAILED, 5)).containsExactly("old-failed");
        assertThat(everyPage("k", JobPhase.IN_QUEUE, 5)).containsExactly("live-queued");
    }

    @Test
    void anotherKeysJobsNeverShow() {
        submit("mine", "k", 1);
        submit("theirs", "other", 2);
        archive.add("other", archivedRow("theirs-old", 0, "COMPLETED"));
        assertThat(everyPage("k", null, 5)).containsExactly("mine");
    }

    @Test
    void rowsCarryTheProjectionsFiguresAndUnitsOnlyForCompletedJobs() {
        submit("done", "k", 1);
        projection.apply(JobEvent.of("done", "k", EventType.STARTED, "test", new Payloads.Started("train", "w")));
        complete("done", "k");
        submit("queued", "k", 2);
        charges.put("done", 101L);
        charges.put("queued", 7L);

        var rows = history.page("k", new HistoryQuery(20, null, null)).requests();
        assertThat(rows.get(0)).satisfies(r -> {
            assertThat(r.status()).isEqualTo("IN_QUEUE");
            assertThat(r.units()).isNull();
            assertThat(r.startedAt()).isNull();
            assertThat(r.steps()).isEqualTo(102);
        });
        assertThat(rows.get(1)).satisfies(r -> {
            assertThat(r.status()).isEqualTo("COMPLETED");
            assertThat(r.units()).isEqualTo(101L);
            assertThat(r.createdAt()).isEqualTo(T0.plusSeconds(1));
            assertThat(r.startedAt()).isNotNull();
            assertThat(r.endedAt()).isNotNull();
            assertThat(r.errorType()).isNull();
        });
    }

    @Test
    void aFinishedJobLeavingTheProjectionIsArchivedWithItsUnits() {
        submit("done", "k", 1);
        complete("done", "k");
        charges.put("done", 101L);
        var saved = projection.save().stream().filter(j -> j.requestId().equals("done")).findFirst().orElseThrow();
        history.archived(saved);
        projection.evict("done", Instant.now());

        HistoryPage page = history.page("k", new HistoryQuery(20, null, null));
        assertThat(page.requests()).singleElement().satisfies(r -> {
            assertThat(r.requestId()).isEqualTo("done");
            assertThat(r.units()).isEqualTo(101L);
            assertThat(r.steps()).isEqualTo(101);
        });
    }

    @Test
    void rendersAsTheContractSaysWithEveryFieldPresent() {
        submit("q", "k", 1);
        var json = Json.toTree(history.page("k", new HistoryQuery(20, null, null)));
        assertThat(json.has("next_cursor")).isTrue();
        assertThat(json.get("next_cursor").isNull()).isTrue();
        assertThat(json.get("has_more").asBoolean()).isFalse();
        var row = json.get("requests").get(0);
        assertThat(row.get("request_id").asText()).isEqualTo("q");
        assertThat(row.get("created_at").asText()).isEqualTo("2026-11-24T10:00:01Z");
        for (String field : List.of("status", "started_at", "ended_at", "steps", "steps_done", "units", "error_type",
                "endpoint")) {
            assertThat(row.has(field)).as(field).isTrue();
        }
    }
}
