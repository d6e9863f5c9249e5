package org.ltxfleet.gateway.history;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * One page of {@code GET /v1/requests}, as answered.
 *
 * @param nextCursor the cursor of the next page, null on the last
 * @param hasMore    whether a next page holds any job (now)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record HistoryPage(List<HistoryRow> requests, String nextCursor, boolean hasMore) {

    public HistoryPage {
        requests = List.copyOf(requests);
    }
}
