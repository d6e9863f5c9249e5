package org.ltxfleet.gateway.projection;

import java.time.Instant;

/**
 * One job as its owner's list of requests shows it: what it is and how far it got, without its logs
 * or output.
 *
 * @param endpoint       the endpoint id of its submission, or null
 * @param stepsRequested the training steps its input asks for ({@code number_of_steps} or its default); null
 *                       when the input names no whole number of steps
 * @param stepsDone      the training steps done by the last progress report of the train stage, or null
 * @param failureType    the {@code error_type} of a failed job, else null
 */
public record JobSummary(String requestId, String keyId, JobPhase phase, Instant submittedAt, Instant startedAt,
                         Instant finishedAt, String endpoint, Integer stepsRequested, Long stepsDone,
                         String failureType) {

    /** The job as a projection or archive saved it. */
    public static JobSummary of(SavedJob job) {
        return new JobSummary(job.requestId(), job.keyId(), job.phase(), job.submittedAt(), job.startedAt(),
                job.finishedAt(), job.endpoint(), job.stepsRequested(), job.stepsDone(),
                job.failure() == null ? null : job.failure().errorType());
    }

    /** Its place in its owner's list. */
    public ListPosition position() {
        return ListPosition.of(submittedAt, requestId);
    }
}
