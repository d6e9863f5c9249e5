package org.ltxfleet.common.kafka;

import java.util.List;

/** Every Kafka topic of the fleet, in one place. All are keyed by request id so one job stays ordered. */
public final class Topics {

    /** Submitted jobs ({@link JobMessage}); public: users may produce to it directly. */
    public static final String JOBS = "ltx.jobs";
    /** Preprocessed datasets ready to train. */
    public static final String READY = "ltx.ready";
    /** The lifecycle of every job ({@link org.ltxfleet.common.event.JobEvent}); the gateway's projection source. */
    public static final String EVENTS = "ltx.events";
    /** One billing record per completed job. */
    public static final String BILLING = "ltx.billing";
    /** Requests to workers, such as cancellation ({@link ControlMessage}). */
    public static final String CONTROL = "ltx.control";

    private Topics() {
    }

    /** Every topic the stack creates at start-up. */
    public static List<String> all() {
        return List.of(JOBS, READY, EVENTS, BILLING, CONTROL);
    }
}
