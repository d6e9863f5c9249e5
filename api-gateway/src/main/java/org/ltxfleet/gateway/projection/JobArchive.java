package org.ltxfleet.gateway.projection;

import java.util.Optional;
import java.util.regex.Pattern;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.s3.ObjectStore;

/**
 * Finished jobs past the log retention, one object each in the store ({@code jobs/{id}/status.json},
 * the job as a projection snapshot saves it): the gateways' memory holds the live and recent jobs,
 * and an older one's status, result, webhook attempts and cancel answer from here. Written once,
 * create-only, by whichever gateway gets there first; every gateway reads the same.
 */
public final class JobArchive {

    /** What a request id may look like here: a key's path segment, never a path of its own. */
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final ObjectStore store;

    public JobArchive(ObjectStore store) {
        this.store = store;
    }

    /** The key of a job's archived status. */
    public static String key(String requestId) {
        return "jobs/" + requestId + "/status.json";
    }

    /** Archives a job; a job archived already (by another gateway, or before a replay) stays as it is. */
    public void write(SavedJob job) {
        store.createIfAbsent(key(job.requestId()), Json.toBytes(job), "application/json");
    }

    /** The archived job as its owner sees it; empty for unknown ids and other keys' jobs alike. Blocking. */
    public Optional<JobSnapshot> find(String requestId, String keyId) {
        if (requestId == null || !REQUEST_ID.matcher(requestId).matches() || requestId.contains("..")) {
            return Optional.empty();
        }
        byte[] bytes = store.bytesIfPresent(key(requestId));
        if (bytes == null) {
            return Optional.empty();
        }
        SavedJob saved = Json.fromBytes(bytes, SavedJob.class);
        if (!keyId.equals(saved.keyId()) || !requestId.equals(saved.requestId())) {
            return Optional.empty();
        }
        return Optional.of(JobState.restore(saved).snapshot());
    }
}
