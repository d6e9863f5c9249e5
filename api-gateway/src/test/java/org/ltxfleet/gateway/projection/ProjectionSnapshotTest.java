package org.ltxfleet.gateway.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.JobEvent;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.JobMessage;

/** A projection restored from its saved jobs answers every question as the one it was saved from. */
class ProjectionSnapshotTest {

    private static final Instant NOW = Instant.now();
    private static final List<String> IDS = List.of("n1", "o1", "l1", "n2", "o2", "deadline", "running", "done",
            "failed", "old", "idem", "events-only");

    private static JobMessage job(String id, String key, Instant startBy, Long expiry, String idempotencyKey) {
        return new JobMessage(1, id, key, "e", NOW.minusSeconds(60), "https://hooks.example/" + id, null,
                idempotencyKey, idempotencyKey == null ? null : "sha-" + id, Json.object(), startBy, expiry);
    }

    private static JobEvent event(String id, String key, EventType type, Object payload, Instant at) {
        var event = JobEvent.of(id, key, type, "test", payload);
        return new JobEvent(event.specVersion(), event.eventId(), id, key, type, at, "test", event.payload());
    }

    /** Jobs in every state a projection distinguishes: three lanes, deadlines, expiries, old logs, webhooks. */
    private static JobProjection busy() {
        var projection = new JobProjection(Duration.ofHours(1));
        projection.submitted(job("n1", "a", null, null, null), Lane.NORMAL);
        projection.submitted(job("o1", "a", null, null, null), Lane.OVERFLOW);
        projection.submitted(job("l1", "b", null, null, null), Lane.LOW);
        projection.submitted(job("n2", "b", null, null, null), Lane.NORMAL);
        projection.submitted(job("o2", "a", null, null, null), Lane.OVERFLOW);
        projection.submitted(job("deadline", "c", NOW.plusSeconds(30), null, null), Lane.NORMAL);
        projection.submitted(job("running", "c", NOW.plusSeconds(5), null, null), Lane.NORMAL);
        projection.apply(event("running", "c", EventType.STARTED, new Payloads.Started("train", "w"), NOW));
        projection.apply(event("running", "c", EventType.LOG, new Payloads.Log("INFO", "step 1", "train"), NOW));
        projection.apply(event("running", "c", EventType.PROGRESS,
                new Payloads.Progress("train", 1, 10, 0.5, 1e-4, 2.0, 18.0), NOW));
        projection.submitted(job("done", "a", null, 120L, null), Lane.NORMAL);
        projection.apply(event("done", "a", EventType.STARTED, new Payloads.Started("train", "w"), NOW));
        projection.apply(event("done", "a", EventType.LOG, new Payloads.Log("INFO", "exported", "train"), NOW));
        projection.apply(event("done", "a", EventType.COMPLETED, new Payloads.Completed(null, 3.0), NOW));
        projection.apply(event("done", "a", EventType.WEBHOOK_ATTEMPT, new Payloads.WebhookAttempt("d1", 1,
                "https://hooks.example/done", 200, null, 12, "delivered", null), NOW));
        projection.submitted(job("failed", "b", null, null, null), Lane.NORMAL);
        projection.apply(event("failed", "b", EventType.FAILED,
                new Payloads.Failed(422, "invalid_archive", Json.toTree("no clips"), "preprocess"), NOW));
        projection.submitted(job("old", "b", null, null, null), Lane.NORMAL);
        projection.apply(event("old", "b", EventType.LOG, new Payloads.Log("INFO", "long ago", "train"),
                NOW.minusSeconds(7200)));
        projection.apply(event("old", "b", EventType.COMPLETED, new Payloads.Completed(null, 3.0),
                NOW.minusSeconds(7200)));
        projection.submitted(job("idem", "a", null, null, "retry-1"), Lane.NORMAL);
        // Events read before their submission (another topic): the job is known, not yet submitted.
        projection.apply(event("events-only", "c", EventType.STARTED, new Payloads.Started("preprocess", "w"), NOW));
        return projection;
    }

    /** Saves, writes as JSON and reads back (as a snapshot file would), and restores into a new projection. */
    private static JobProjection roundTrip(JobProjection original) {
        byte[] json = Json.toBytes(original.save());
        List<SavedJob> read = Json.mapper().convertValue(Json.readTree(json), new TypeReference<>() { });
        var restored = new JobProjection(Duration.ofHours(1));
        restored.restore(read);
        return restored;
    }

    @Test
    void restoredProjectionAnswersAsTheOriginal() {
        JobProjection original = busy();
        JobProjection restored = roundTrip(original);

        assertThat(restored.size()).isEqualTo(original.size());
        for (String id : IDS) {
            for (String key : List.of("a", "b", "c")) {
                assertThat(restored.find(id, key)).as("%s as %s", id, key).isEqualTo(original.find(id, key));
            }
            assertThat(restored.queuePosition(id)).as("queue position of %s", id)
                    .isEqualTo(original.queuePosition(id));
            assertThat(restored.outcome(id)).isEqualTo(original.outcome(id));
        }
        for (String key : List.of("a", "b", "c")) {
            for (Lane lane : Lane.values()) {
                assertThat(restored.queuedCount(key, lane)).isEqualTo(original.queuedCount(key, lane));
            }
        }
        for (Lane lane : Lane.values()) {
            assertThat(restored.positionOfNewest(lane)).isEqualTo(original.positionOfNewest(lane));
        }
        assertThat(restored.idempotent("a", "retry-1")).isEqualTo(original.idempotent("a", "retry-1"))
                .map(JobProjection.Submission::requestId).contains("idem");
        assertThat(restored.takeMissedStarts(NOW.plusSeconds(60))).isEqualTo(original.takeMissedStarts(
                NOW.plusSeconds(60))).extracting(JobProjection.StartDeadline::requestId).containsExactly("deadline");
        assertThat(restored.takeExpiredOutputs(NOW.plusSeconds(3600))).isEqualTo(original.takeExpiredOutputs(
                NOW.plusSeconds(3600))).extracting(JobProjection.Due::requestId).containsExactly("done");
        assertThat(restored.dropExpiredLogs(NOW.plusSeconds(7200))).isEqualTo(original.dropExpiredLogs(
                NOW.plusSeconds(7200))).isEqualTo(2);
        assertThat(restored.find("old", "b").orElseThrow().logs()).as("logs past the retention stay dropped").isEmpty();
    }

    @Test
    void recordsReadAgainAfterTheSnapshotChangeNothingAndNewOnesFoldIn() {
        JobProjection restored = roundTrip(busy());
        int queued = restored.queuedCount();

        // The reader resumes at the snapshot's positions, but the gateway's own acknowledgements may be
        // in the snapshot and ahead of them: reading those submissions again must not queue them twice.
        restored.submitted(job("n1", "a", null, null, null), Lane.NORMAL);
        restored.submitted(job("events-only", "c", null, null, null), Lane.NORMAL);
        assertThat(restored.queuedCount()).isEqualTo(queued);
        assertThat(restored.find("events-only", "c").orElseThrow().phase()).isEqualTo(JobPhase.IN_PROGRESS);

        restored.apply(event("n1", "a", EventType.STARTED, new Payloads.Started("preprocess", "w"), NOW));
        assertThat(restored.queuePosition("n1")).isEqualTo(-1);
        assertThat(restored.queuePosition("n2")).isZero();
        assertThat(restored.queuedCount()).isEqualTo(queued - 1);
    }

    @Test
    void restoringIntoAProjectionThatHoldsJobsIsRefused() {
        JobProjection projection = busy();
        assertThatThrownBy(() -> projection.restore(projection.save())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aJobWithARetentionBeyondAnyInstantCompletesAndItsSnapshotRestores() {
        // A direct producer's message before JobMessageCheck, or a snapshot written then, may hold any long.
        var projection = new JobProjection(Duration.ofHours(1));
        projection.submitted(job("forever", "a", null, 9_000_000_000_000_000_000L, null), Lane.NORMAL);
        projection.apply(event("forever", "a", EventType.COMPLETED, new Payloads.Completed(null, 3.0), NOW));

        assertThat(projection.find("forever", "a").orElseThrow().phase()).isEqualTo(JobPhase.COMPLETED);
        assertThat(projection.takeExpiredOutputs(NOW.plusSeconds(86_400L * 365 * 1000))).isEmpty();
        JobProjection restored = roundTrip(projection);
        assertThat(restored.find("forever", "a")).isEqualTo(projection.find("forever", "a"));
    }

    @Test
    void aSavedJobThatCannotBeRestoredIsSkippedAndEveryOtherOneRestores() {
        JobProjection original = busy();
        var saved = new java.util.ArrayList<SavedJob>(original.save());
        var corrupt = (com.fasterxml.jackson.databind.node.ObjectNode) Json.toTree(saved.getLast());
        corrupt.put("requestId", "corrupt").put("submitted", true).put("phase", "IN_QUEUE").putNull("keyId");
        saved.add(Json.mapper().convertValue(corrupt, SavedJob.class));

        var restored = new JobProjection(Duration.ofHours(1));
        restored.restore(saved);

        assertThat(restored.skippedOnRestore()).isEqualTo(1);
        assertThat(restored.size()).isEqualTo(original.size());
        for (String id : IDS) {
            assertThat(restored.outcome(id)).as(id).isEqualTo(original.outcome(id));
            assertThat(restored.queuePosition(id)).as(id).isEqualTo(original.queuePosition(id));
        }
        assertThat(restored.queuedCount()).isEqualTo(original.queuedCount());
    }

    @Test
    void aSnapshotCopiedAfterItsPositionsIsNotFoldedTwiceOnReplay() {
        var original = new JobProjection(Duration.ofHours(1));
        original.submitted(job("copied", "a", null, null, null), Lane.NORMAL);
        for (int offset = 0; offset < 5; offset++) {
            original.apply(event("copied", "a", EventType.LOG, new Payloads.Log("INFO", "line " + offset, "train"), NOW),
                    2, offset);
        }
        // The positions said offset 3; the copy, taken on the writer thread a moment later, holds 0-4.
        var restored = new JobProjection(Duration.ofHours(1));
        restored.restore(Json.mapper().convertValue(Json.toTree(original.save()), new TypeReference<List<SavedJob>>() { }));
        for (int offset = 3; offset < 6; offset++) {
            restored.apply(event("copied", "a", EventType.LOG, new Payloads.Log("INFO", "line " + offset, "train"), NOW),
                    2, offset);
        }
        assertThat(restored.find("copied", "a").orElseThrow().logs()).extracting(LogLine::message)
                .containsExactly("line 0", "line 1", "line 2", "line 3", "line 4", "line 5");
    }
}
