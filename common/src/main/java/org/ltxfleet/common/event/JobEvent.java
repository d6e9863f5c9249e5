package org.ltxfleet.common.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.UUID;
import org.ltxfleet.common.json.Json;

/**
 * One step of a job's life on {@link org.ltxfleet.common.kafka.Topics#EVENTS}, keyed by request id
 * so one job's events stay in order. A job's state can be rebuilt from its events (and its
 * submission on {@code ltx.jobs}). Readers skip types they do not know and payload fields they do
 * not know, so producers may add both.
 *
 * @param specVersion version of this envelope
 * @param eventId     unique per event; a redelivered event keeps its id, so readers can deduplicate
 * @param keyId       owner of the job
 * @param source      who wrote it, e.g. {@code preprocess-worker/host-1}
 * @param payload     the record of {@link Payloads} named by {@code type}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record JobEvent(int specVersion, String eventId, String requestId, String keyId, EventType type,
                       Instant time, String source, JsonNode payload) {

    /** The envelope version this code writes. */
    public static final int SPEC_VERSION = 1;

    /** A new event with a random id, stamped now. */
    public static JobEvent of(String requestId, String keyId, EventType type, String source, Object payload) {
        return new JobEvent(SPEC_VERSION, UUID.randomUUID().toString(), requestId, keyId, type, Instant.now(),
                source, Json.toTree(payload));
    }

    /** The payload as its record type. */
    public <T> T payloadAs(Class<T> type) {
        return Json.fromTree(payload, type);
    }
}
