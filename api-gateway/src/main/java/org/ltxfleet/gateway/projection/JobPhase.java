package org.ltxfleet.gateway.projection;

/** Where a job stands, in fal's terms plus the terminal outcome fal folds into COMPLETED. */
public enum JobPhase {
    IN_QUEUE,
    IN_PROGRESS,
    COMPLETED,
    FAILED,
    CANCELED;

    /** Whether the job has ended. */
    public boolean terminal() {
        return this == COMPLETED || this == FAILED || this == CANCELED;
    }

    /** The value of fal's {@code status} field: every terminal phase is "COMPLETED". */
    public String falStatus() {
        return terminal() ? "COMPLETED" : name();
    }
}
