package org.ltxfleet.gateway.history;

import java.util.List;
import org.ltxfleet.gateway.projection.JobPhase;
import org.ltxfleet.gateway.projection.ListPosition;

/**
 * The rows of the jobs that left the projection for the archive, per API key, in list order. Rows are
 * written once, before their job leaves the projection, so that a job is always in one or both.
 */
public interface HistoryArchive {

    /** Keeps a finished job's row in its key's list (and its state's); a row kept already stays. */
    void add(String keyId, HistoryRow row);

    /**
     * The positions of up to {@code most} of the key's archived jobs after {@code after} (null: from the
     * newest), in list order, of state {@code status} (null: every state). One bounded read.
     */
    List<ListPosition> positions(String keyId, JobPhase status, ListPosition after, int most);

    /** The rows at these positions of the key's list, in the same order; a row that is gone is left out. */
    List<HistoryRow> rows(String keyId, List<ListPosition> positions);
}
