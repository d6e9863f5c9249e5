package org.ltxfleet.gateway.submit;

import org.ltxfleet.common.kafka.JobMessage;
import org.ltxfleet.gateway.projection.JobProjection;
import org.ltxfleet.gateway.projection.Lane;

/**
 * Chooses a new job's lane so that one key's backlog never holds back another key's jobs: a key
 * has at most {@code share} jobs waiting in the normal lane; the rest go to the overflow lane,
 * which workers take only when the normal lane is empty. A key with jobs in overflow keeps
 * adding there until it drains, so a key's own jobs still start in the order they came.
 * Low priority stays low.
 */
final class FairShare {

    private final JobProjection projection;
    private final int share;

    /** {@code share} 0 puts every normal-priority job in the normal lane. */
    FairShare(JobProjection projection, int share) {
        this.projection = projection;
        this.share = share;
    }

    Lane laneFor(JobMessage job) {
        return laneFor(job.keyId(), job.priority());
    }

    /** The lane of a new job of {@code keyId} with this priority ({@code low} or anything else). */
    Lane laneFor(String keyId, String priority) {
        if ("low".equals(priority)) {
            return Lane.LOW;
        }
        boolean overShare = share > 0 && (projection.queuedCount(keyId, Lane.NORMAL) >= share
                || projection.queuedCount(keyId, Lane.OVERFLOW) > 0);
        return overShare ? Lane.OVERFLOW : Lane.NORMAL;
    }
}
