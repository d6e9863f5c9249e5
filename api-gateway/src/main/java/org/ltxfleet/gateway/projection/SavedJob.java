package org.ltxfleet.gateway.projection;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.ltxfleet.common.event.Payloads;

/**
 * One job as a projection snapshot keeps it: everything its folds and the projection's indexes
 * (queue lane, start deadline, idempotency, expiries) are rebuilt from, and where in
 * {@code ltx.events} its last folded event was ({@code eventPartition}, {@code eventOffset}; null in
 * snapshots from before), so that a replay from the snapshot's positions skips what it already holds.
 */
public record SavedJob(String requestId, String keyId, JobPhase phase, long version, boolean submitted,
                       Instant submittedAt, Instant startedAt, Instant finishedAt, List<LogLine> logs,
                       JsonNode output, Payloads.Failed failure, Payloads.Progress progress, String webhookUrl,
                       String idempotencyKey, String terminalEventId, List<Payloads.WebhookAttempt> webhookAttempts,
                       String bodySha256, Long outputExpirationSeconds, Instant startBy, Lane lane,
                       Integer eventPartition, Long eventOffset, String endpoint, Integer stepsRequested,
                       Long stepsDone) {

    public SavedJob {
        logs = logs == null ? List.of() : List.copyOf(logs);
        webhookAttempts = webhookAttempts == null ? List.of() : List.copyOf(webhookAttempts);
        phase = phase == null ? JobPhase.IN_QUEUE : phase;
        lane = lane == null ? Lane.NORMAL : lane;
        // JSON's null reads back as a NullNode; the projection holds no output as null.
        output = output == null || output.isNull() ? null : output;
    }
}
