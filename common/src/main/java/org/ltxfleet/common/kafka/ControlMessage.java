package org.ltxfleet.common.kafka;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/** A request to the workers on {@link Topics#CONTROL}, keyed by request id. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ControlMessage(int schemaVersion, String requestId, String keyId, Action action, Instant time) {

    /** What the workers are asked to do. */
    public enum Action {
        /** Stop the job within one step; it ends CANCELED, billed 0. */
        CANCEL
    }

    /** A cancellation request made now. */
    public static ControlMessage cancel(String requestId, String keyId) {
        return new ControlMessage(1, requestId, keyId, Action.CANCEL, Instant.now());
    }
}
