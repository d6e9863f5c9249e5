package org.ltxfleet.gateway.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.ltxfleet.gateway.projection.JobPhase;
import org.ltxfleet.gateway.projection.JobProjection;
import org.ltxfleet.gateway.projection.JobSummary;
import org.ltxfleet.gateway.projection.ListPosition;
import org.ltxfleet.gateway.projection.SavedJob;

/**
 * A key's jobs, newest first, a page at a time: the live and recent ones from the projection, the
 * older finished ones from the {@link HistoryArchive}, merged by list position. A page of
 * {@code limit} reads at most {@code limit + 1} entries of each source (one listing of the store)
 * and then the stored rows it shows, so its cost does not grow with the key's history. A job in both
 * (archived, not yet evicted) shows once, as the projection has it. Blocking (the store); thread-safe.
 */
public final class RequestHistory {

    private final JobProjection projection;
    private final HistoryArchive archive;
    private final Function<String, Optional<Long>> billedUnits;

    /** The history over a projection and an archive; {@code billedUnits} gives a job's units from the ledger. */
    public RequestHistory(JobProjection projection, HistoryArchive archive,
                          Function<String, Optional<Long>> billedUnits) {
        this.projection = projection;
        this.archive = archive;
        this.billedUnits = billedUnits;
    }

    /** One page of the key's jobs. */
    public HistoryPage page(String keyId, HistoryQuery query) {
        // One more than the page from each source: whether anything follows the page is then known.
        int most = query.limit() + 1;
        var merged = new TreeMap<ListPosition, JobSummary>();
        // Only finished jobs are archived: a filter on a live state needs no listing of the store.
        if (query.status() == null || query.status().terminal()) {
            archive.positions(keyId, query.status(), query.after(), most).forEach(p -> merged.put(p, null));
        }
        projection.newestFirst(keyId, query.after(), query.status(), most).forEach(j -> merged.put(j.position(), j));

        var shown = new ArrayList<>(merged.entrySet()).subList(0, Math.min(query.limit(), merged.size()));
        var stored = storedRows(keyId, shown);
        var rows = new ArrayList<HistoryRow>(shown.size());
        for (var entry : shown) {
            JobSummary live = entry.getValue();
            HistoryRow row = live != null ? HistoryRow.of(live, units(live)) : stored.get(entry.getKey());
            if (row != null) {
                rows.add(row);
            }
        }
        boolean hasMore = merged.size() > query.limit();
        String next = hasMore ? HistoryCursor.encode(shown.getLast().getKey()) : null;
        return new HistoryPage(rows, next, hasMore);
    }

    /** The stored rows of the page's archived jobs, by position (a row deleted meanwhile is missing). */
    private Map<ListPosition, HistoryRow> storedRows(String keyId, List<Map.Entry<ListPosition, JobSummary>> shown) {
        List<ListPosition> archived = shown.stream().filter(e -> e.getValue() == null).map(Map.Entry::getKey).toList();
        var rows = new HashMap<ListPosition, HistoryRow>();
        if (!archived.isEmpty()) {
            archive.rows(keyId, archived).forEach(row -> rows.put(row.position(), row));
        }
        return rows;
    }

    private Long units(JobSummary job) {
        return job.phase() == JobPhase.COMPLETED ? billedUnits.apply(job.requestId()).orElse(null) : null;
    }

    /**
     * Keeps the row of a finished job that leaves the projection, with the units the ledger billed
     * (the ledger forgets a job's charge once it leaves): call before it leaves, so that it is always
     * listed by one source or both. A job known only from events, never submitted, is not listed.
     */
    public void archived(SavedJob job) {
        if (!job.submitted() || job.keyId() == null) {
            return;
        }
        JobSummary summary = JobSummary.of(job);
        archive.add(job.keyId(), HistoryRow.of(summary, units(summary)));
    }
}
