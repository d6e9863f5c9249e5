package org.ltxfleet.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.s3.ObjectStore;

/**
 * The first record of a request id is its job; later records with the same id are not. Several
 * gateways writing one idempotent submit, a user's producer sending a job twice, or another key
 * reusing a request id all leave more than one record for an id. Taking a job writes
 * {@code jobs/{id}/job.json} create-only ({@code If-None-Match: *}) with the record's place in
 * Kafka; a record that finds another record's claim is skipped (its events would mix into the
 * first job's), while the redelivery of the claiming record itself goes on.
 */
final class JobClaims {

    private final ObjectStore store;

    JobClaims(ObjectStore store) {
        this.store = store;
    }

    /** Whether this record is its request id's job (claims it when it is the first). */
    boolean claim(String requestId, String keyId, ConsumerRecord<String, byte[]> record) {
        var mine = Json.object().put("key_id", keyId).put("topic", record.topic())
                .put("partition", record.partition()).put("offset", record.offset());
        String key = key(requestId);
        if (store.createIfAbsent(key, Json.toBytes(mine), "application/json")) {
            return true;
        }
        JsonNode claimed = Json.readTree(store.bytes(key));
        return claimed.path("topic").asText().equals(record.topic())
                && claimed.path("partition").asInt() == record.partition()
                && claimed.path("offset").asLong() == record.offset();
    }

    private static String key(String requestId) {
        return "jobs/" + requestId + "/job.json";
    }

    /** Who holds the claim, for the log line of a skipped record. */
    String holder(String requestId) {
        byte[] claimed = store.bytesIfPresent(key(requestId));
        return claimed == null ? "unknown" : new String(claimed, java.nio.charset.StandardCharsets.UTF_8);
    }
}
