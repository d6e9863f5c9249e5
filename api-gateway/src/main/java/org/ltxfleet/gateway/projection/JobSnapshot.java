package org.ltxfleet.gateway.projection;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.ltxfleet.common.event.Payloads;

/**
 * An immutable view of one job at one moment, for rendering status, results and streams.
 *
 * @param version   grows by one with every change, so streams can tell new from seen
 * @param output    the output JSON of a completed job, else null
 * @param failure   why the job failed, else null
 * @param progress  the latest progress report, else null
 * @param terminalEventId the id of the event that ended the job, else null
 * @param webhookAttempts every webhook delivery attempt so far, oldest first
 * @param outputsExpireAt when a completed job's outputs are deleted, else null (kept)
 */
public record JobSnapshot(String requestId, String keyId, JobPhase phase, long version, Instant submittedAt,
                          Instant startedAt, Instant finishedAt, List<LogLine> logs, JsonNode output,
                          Payloads.Failed failure, Payloads.Progress progress, String webhookUrl,
                          String terminalEventId, List<Payloads.WebhookAttempt> webhookAttempts,
                          Instant outputsExpireAt) {

    /** Seconds from the first start to the end, or null while the job runs. */
    public Double inferenceSeconds() {
        if (finishedAt == null) {
            return null;
        }
        Instant from = startedAt != null ? startedAt : submittedAt != null ? submittedAt : finishedAt;
        return (finishedAt.toEpochMilli() - from.toEpochMilli()) / 1000.0;
    }
}
