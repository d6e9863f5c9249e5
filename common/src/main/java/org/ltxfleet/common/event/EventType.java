package org.ltxfleet.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The kinds of {@link JobEvent}; each names its payload record. */
public enum EventType {
    /** A stage took the job: {@link Payloads.Started}. The job is IN_PROGRESS. */
    STARTED("job.started"),
    /** A log line for the client: {@link Payloads.Log}. */
    LOG("job.log"),
    /** Training or preprocessing progress: {@link Payloads.Progress}. */
    PROGRESS("job.progress"),
    /** Terminal: outputs are ready, {@link Payloads.Completed}. */
    COMPLETED("job.completed"),
    /** Terminal: the job failed, billed 0, {@link Payloads.Failed}. */
    FAILED("job.failed"),
    /** Terminal: the client canceled, billed 0, {@link Payloads.Canceled}. */
    CANCELED("job.canceled"),
    /** One webhook delivery attempt and its outcome, after the job ended: {@link Payloads.WebhookAttempt}. */
    WEBHOOK_ATTEMPT("webhook.attempt");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    /** The CloudEvents-style type name on the wire. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** Whether a job ends with this event. */
    public boolean terminal() {
        return this == COMPLETED || this == FAILED || this == CANCELED;
    }

    /** The type for a wire name; unknown names (newer producers) map to null and are skipped by readers. */
    @JsonCreator
    public static EventType fromWire(String value) {
        for (EventType t : values()) {
            if (t.wireName.equals(value)) {
                return t;
            }
        }
        return null;
    }
}
