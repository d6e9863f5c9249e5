package org.ltxfleet.gateway.history;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import org.ltxfleet.gateway.projection.JobPhase;
import org.ltxfleet.gateway.projection.JobSummary;
import org.ltxfleet.gateway.projection.ListPosition;
import org.ltxfleet.gateway.status.StatusView;

/**
 * One job in {@code GET /v1/requests}, and what the archive keeps of it for that list. Every field
 * is always present, null when unknown.
 *
 * @param status    IN_QUEUE, IN_PROGRESS, COMPLETED, FAILED or CANCELED (the status object's {@code state})
 * @param createdAt when it was submitted
 * @param startedAt when a worker first took it
 * @param endedAt   when it ended
 * @param steps     the training steps it asked for
 * @param stepsDone the training steps done, by the last progress report that said
 * @param units     the units billed for it (a completed job whose charge the ledger has read), else null
 * @param errorType the status object's {@code error_type}: a failed or canceled job's, else null
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record HistoryRow(String requestId, String status, Instant createdAt, Instant startedAt, Instant endedAt,
                         Integer steps, Long stepsDone, Long units, String errorType, String endpoint) {

    /** The row of a job, billed {@code units} (null: no charge known). */
    public static HistoryRow of(JobSummary job, Long units) {
        String errorType = switch (job.phase()) {
            case FAILED -> job.failureType();
            case CANCELED -> StatusView.CANCELED_ERROR_TYPE;
            default -> null;
        };
        return new HistoryRow(job.requestId(), job.phase().name(), job.submittedAt(), job.startedAt(),
                job.finishedAt(), job.stepsRequested(), job.stepsDone(),
                job.phase() == JobPhase.COMPLETED ? units : null, errorType, job.endpoint());
    }

    /** Its place in its owner's list. */
    public ListPosition position() {
        return ListPosition.of(createdAt, requestId);
    }
}
