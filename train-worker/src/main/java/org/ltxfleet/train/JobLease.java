package org.ltxfleet.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.s3.ObjectStore;

/**
 * Who is training a job, in S3 ({@code jobs/{id}/lease.json}: worker name and heartbeat). A
 * consumer-group rebalance can hand a job's partition to another worker while the first one is
 * still training it (the first keeps going: its partition is paused, not stopped); the lease lets
 * the second see that and wait instead of training the job twice. A lease whose heartbeat is older
 * than {@link #STALE} belongs to a worker that died: the job is taken over from its checkpoint.
 */
final class JobLease {

    static final Duration HEARTBEAT = Duration.ofSeconds(10);
    static final Duration STALE = Duration.ofSeconds(60);
    /** Tells two workers of the same name apart (a restarted process reusing its name). */
    private static final String PROCESS = java.util.UUID.randomUUID().toString();

    private final ObjectStore store;
    private final String key;
    private final String worker;
    private Instant lastBeat = Instant.EPOCH;

    JobLease(ObjectStore store, String requestId, String worker) {
        this.store = store;
        this.key = "jobs/" + requestId + "/lease.json";
        this.worker = worker + "@" + PROCESS;
    }

    /** The worker holding a live lease other than this one, or null. */
    String heldByAnother() {
        if (!store.exists(key)) {
            return null;
        }
        JsonNode lease = Json.readTree(store.bytes(key));
        String holder = lease.path("worker").asText();
        Instant beat = Instant.parse(lease.path("heartbeat_at").asText(Instant.EPOCH.toString()));
        boolean live = Duration.between(beat, Instant.now()).compareTo(STALE) < 0;
        return live && !holder.equals(worker) ? holder : null;
    }

    /** Takes or renews the lease; renewals are written at most every {@link #HEARTBEAT}. */
    void beat() {
        Instant now = Instant.now();
        if (Duration.between(lastBeat, now).compareTo(HEARTBEAT) >= 0) {
            store.put(key, Json.toBytes(Map.of("worker", worker, "heartbeat_at", now.toString())), "application/json");
            lastBeat = now;
        }
    }

    void release() {
        store.deletePrefix(key);
    }
}
