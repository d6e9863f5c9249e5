package org.ltxfleet.gateway.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.JobEvent;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.JobMessage;

class JobProjectionTest {

    private final JobProjection projection = new JobProjection();

    private static JobMessage job(String id, String key) {
        return new JobMessage(1, id, key, "fal-ai/ltx23-trainer-v2/interpolate", Instant.now(), null, null, null,
                null, Json.object(), null, null);
    }

    private static JobMessage job(String id, String key, String idempotencyKey, String sha) {
        return new JobMessage(1, id, key, "e", Instant.now(), null, null, idempotencyKey, sha, Json.object(), null, null);
    }

    private static JobEvent event(String id, String key, EventType type, Object payload) {
        return JobEvent.of(id, key, type, "test", payload);
    }

    @Test
    void missedStartsAreTakenOnceAndOnlyForJobsStillQueued() {
        var projection = new JobProjection();
        Instant t0 = Instant.parse("2026-12-01T12:00:00Z");
        for (String id : java.util.List.of("late", "started", "later", "no-deadline")) {
            Instant startBy = switch (id) {
                case "late", "started" -> t0.plusSeconds(1);
                case "later" -> t0.plusSeconds(60);
                default -> null;
            };
            projection.submitted(new JobMessage(1, id, "k", "e", t0, null, null, null, null, Json.object(), startBy, null));
        }
        projection.apply(event("started", "k", EventType.STARTED, new Payloads.Started("preprocess", "w")));

        assertThat(projection.takeMissedStarts(t0)).isEmpty();
        assertThat(projection.takeMissedStarts(t0.plusSeconds(2)))
                .extracting(JobProjection.StartDeadline::requestId).containsExactly("late");
        assertThat(projection.takeMissedStarts(t0.plusSeconds(2))).isEmpty();
        assertThat(projection.takeMissedStarts(t0.plusSeconds(3600)))
                .extracting(JobProjection.StartDeadline::requestId).containsExactly("later");
    }

    @Test
    void completedOutputsExpireOnceWhicheverOfSubmissionAndEndArrivesFirst() {
        var projection = new JobProjection();
        Instant now = Instant.now();
        var completed = new Payloads.Completed(null, 1.0);
        // submission first, then the end
        projection.submitted(new JobMessage(1, "first", "k", "e", now, null, null, null, null, Json.object(), null, 60L));
        projection.apply(event("first", "k", EventType.COMPLETED, completed));
        // the end first (events and submissions are on different topics), then the submission
        projection.apply(event("second", "k", EventType.COMPLETED, completed));
        projection.submitted(new JobMessage(1, "second", "k", "e", now, null, null, null, null, Json.object(), null, 60L));
        // no retention asked for; a failed job has no outputs
        projection.submitted(new JobMessage(1, "kept", "k", "e", now, null, null, null, null, Json.object(), null, null));
        projection.apply(event("kept", "k", EventType.COMPLETED, completed));
        projection.submitted(new JobMessage(1, "failed", "k", "e", now, null, null, null, null, Json.object(), null, 60L));
        projection.apply(event("failed", "k", EventType.FAILED, new Payloads.Failed(500, "internal_error", null, "train")));

        assertThat(projection.takeExpiredOutputs(now.plusSeconds(30))).isEmpty();
        assertThat(projection.find("first", "k").orElseThrow().outputsExpireAt()).isAfter(now.plusSeconds(59));
        assertThat(projection.takeExpiredOutputs(now.plusSeconds(120)))
                .extracting(JobProjection.Due::requestId).containsExactlyInAnyOrder("first", "second");
        assertThat(projection.takeExpiredOutputs(now.plusSeconds(240))).isEmpty();
        assertThat(projection.find("kept", "k").orElseThrow().outputsExpireAt()).isNull();
    }

    @Test
    void queuedJobsAreCountedPerKeyUntilTheyStartOrEnd() {
        projection.submitted(job("a", "k1"));
        projection.submitted(job("b", "k1"));
        projection.submitted(job("c", "k2"));
        assertThat(projection.queuedCount("k1")).isEqualTo(2);
        projection.apply(event("a", "k1", EventType.STARTED, new Payloads.Started("preprocess", "w")));
        projection.apply(event("b", "k1", EventType.CANCELED, new Payloads.Canceled("queue")));
        assertThat(projection.queuedCount("k1")).isZero();
        assertThat(projection.queuedCount("k2")).isEqualTo(1);
        assertThat(projection.queuedCount("nobody")).isZero();
    }

    @Test
    void finishedJobsKeepTheirLogsForTheRetentionThenOnlyTheirOutcome() {
        var projection = new JobProjection(java.time.Duration.ofHours(1));
        Instant now = Instant.now();
        for (String id : java.util.List.of("recent", "old")) {
            projection.submitted(job(id, "k"));
            projection.apply(event(id, "k", EventType.LOG, new Payloads.Log("INFO", "line of " + id, "train")));
        }
        projection.apply(event("recent", "k", EventType.COMPLETED, new Payloads.Completed(null, 1.0)));
        // Read back at start-up: this job ended two hours ago and never holds its logs.
        projection.apply(new JobEvent(1, "e-old", "old", "k", EventType.FAILED, now.minusSeconds(7200), "test",
                Json.toTree(new Payloads.Failed(500, "internal_error", Json.toTree("boom"), "train"))));

        assertThat(projection.find("old", "k").orElseThrow().logs()).isEmpty();
        assertThat(projection.find("old", "k").orElseThrow().failure().errorType()).isEqualTo("internal_error");
        assertThat(projection.dropExpiredLogs(now.plusSeconds(1800))).isZero();
        assertThat(projection.find("recent", "k").orElseThrow().logs()).extracting(LogLine::message)
                .containsExactly("line of recent");
        assertThat(projection.dropExpiredLogs(now.plusSeconds(3700))).isEqualTo(1);
        var recent = projection.find("recent", "k").orElseThrow();
        assertThat(recent.logs()).isEmpty();
        assertThat(recent.phase()).isEqualTo(JobPhase.COMPLETED);
    }

    @Test
    void lanesQueueInOrderNormalThenOverflowThenLow() {
        projection.submitted(job("heavy-1", "a"), Lane.NORMAL);
        projection.submitted(job("heavy-2", "a"), Lane.OVERFLOW);
        projection.submitted(job("low", "c"), Lane.LOW);
        assertThat(projection.positionOfNewest(Lane.OVERFLOW)).isEqualTo(1);
        projection.submitted(job("light", "b"), Lane.NORMAL);
        assertThat(projection.positionOfNewest(Lane.NORMAL)).isEqualTo(1);
        assertThat(projection.positionOfNewest(Lane.LOW)).isEqualTo(3);

        assertThat(projection.queuePosition("light")).isEqualTo(1);
        assertThat(projection.queuePosition("heavy-2")).isEqualTo(2);
        assertThat(projection.queuePosition("low")).isEqualTo(3);
        assertThat(projection.queuedCount("a", Lane.OVERFLOW)).isEqualTo(1);
        assertThat(projection.queuedCount("a")).isEqualTo(2);
        projection.apply(event("heavy-2", "a", EventType.STARTED, new Payloads.Started("preprocess", "w")));
        assertThat(projection.queuedCount("a", Lane.OVERFLOW)).isZero();
        assertThat(projection.queuePosition("low")).isEqualTo(2);
    }

    @Test
    void newJobsWaitInSubmissionOrder() {
        projection.submitted(job("a", "k"));
        projection.submitted(job("b", "k"));
        projection.submitted(job("c", "k"));
        assertThat(projection.queuePosition("a")).isZero();
        assertThat(projection.queuePosition("c")).isEqualTo(2);
        assertThat(projection.queuedCount()).isEqualTo(3);

        projection.apply(event("a", "k", EventType.STARTED, new Payloads.Started("preprocess", "w")));
        assertThat(projection.queuePosition("a")).isEqualTo(-1);
        assertThat(projection.queuePosition("c")).isEqualTo(1);
        assertThat(projection.queuedCount()).isEqualTo(2);
        assertThat(projection.find("a", "k").orElseThrow().phase()).isEqualTo(JobPhase.IN_PROGRESS);
    }

    @Test
    void replayedSubmissionIsIgnored() {
        projection.submitted(job("a", "k"));
        projection.submitted(job("a", "k"));
        assertThat(projection.queuedCount()).isEqualTo(1);
    }

    @Test
    void eventsBeforeTheSubmissionStillCount() {
        projection.apply(event("a", "k", EventType.STARTED, new Payloads.Started("preprocess", "w")));
        projection.submitted(job("a", "k"));
        assertThat(projection.find("a", "k").orElseThrow().phase()).isEqualTo(JobPhase.IN_PROGRESS);
        assertThat(projection.queuedCount()).isZero();
    }

    @Test
    void firstTerminalEventWins() {
        projection.submitted(job("a", "k"));
        projection.apply(event("a", "k", EventType.CANCELED, new Payloads.Canceled("queue")));
        projection.apply(event("a", "k", EventType.FAILED,
                new Payloads.Failed(501, "stage_not_implemented", Json.toTree("x"), "preprocess")));
        JobSnapshot job = projection.find("a", "k").orElseThrow();
        assertThat(job.phase()).isEqualTo(JobPhase.CANCELED);
        assertThat(job.failure()).isNull();
        assertThat(job.finishedAt()).isNotNull();
    }

    @Test
    void otherKeysSeeNothing() {
        projection.submitted(job("a", "owner"));
        assertThat(projection.find("a", "owner")).isPresent();
        assertThat(projection.find("a", "intruder")).isEmpty();
        assertThat(projection.find("missing", "owner")).isEmpty();
    }

    @Test
    void collectsLogsInOrderAndKeepsTheFailure() {
        projection.submitted(job("a", "k"));
        projection.apply(event("a", "k", EventType.LOG, new Payloads.Log("INFO", "one", "preprocess")));
        projection.apply(event("a", "k", EventType.LOG, new Payloads.Log("WARN", "two", "preprocess")));
        projection.apply(event("a", "k", EventType.FAILED,
                new Payloads.Failed(422, "no_usable_data", Json.toTree("no usable training data"), "preprocess")));
        JobSnapshot job = projection.find("a", "k").orElseThrow();
        assertThat(job.logs()).extracting(LogLine::message).containsExactly("one", "two", "no usable training data");
        assertThat(job.failure().statusCode()).isEqualTo(422);
    }

    @Test
    void remembersIdempotencyKeysPerApiKey() {
        projection.submitted(job("a", "k1", "idem", "sha-1"));
        assertThat(projection.idempotent("k1", "idem")).contains(new JobProjection.Submission("a", "k1", "sha-1"));
        assertThat(projection.idempotent("k2", "idem")).isEmpty();
    }

    @Test
    void aSubmissionKeepsTheOptionsAReplayMustRepeat() {
        Instant at = Instant.parse("2026-12-07T12:00:00.123456789Z");
        projection.submitted(new JobMessage(1, "a", "k1", "e", at, "https://example.com/hook", "low", "idem", "sha-1",
                Json.object(), at.plusMillis(60_500), null), Lane.LOW);
        assertThat(projection.idempotent("k1", "idem")).contains(new JobProjection.Submission("a", "k1", "sha-1",
                "https://example.com/hook", "low", Duration.ofMillis(60_500)));
    }

    @Test
    void anIdempotencyKeyIsForgottenWithItsJobsLogsNotWhileItRuns() {
        var projection = new JobProjection(Duration.ofHours(24));
        projection.submitted(job("a", "k1", "idem", "sha-1"));
        projection.apply(event("a", "k1", EventType.COMPLETED, new Payloads.Completed(null, 1.0)));
        projection.submitted(job("b", "k1", "running", "sha-2"));
        projection.apply(event("b", "k1", EventType.STARTED, new Payloads.Started("train", "w")));
        Instant later = Instant.now().plus(Duration.ofHours(25));
        projection.dropExpiredLogs(later);
        assertThat(projection.idempotent("k1", "idem")).as("a day after its job ended").isEmpty();
        assertThat(projection.idempotent("k1", "running")).as("its job still runs").isPresent();
    }

    @Test
    void aJobPastTheRetentionIsOfferedForTheArchiveThenEvictedAndItsLateRecordsIgnored() {
        var projection = new JobProjection(Duration.ofHours(1));
        Instant longAgo = Instant.now().minus(Duration.ofHours(3));
        projection.submitted(job("old", "k1", "idem-old", "sha-1"));
        projection.apply(at(event("old", "k1", EventType.COMPLETED, new Payloads.Completed(null, 1.0)), longAgo));
        projection.submitted(job("live", "k1"));
        projection.apply(event("live", "k1", EventType.STARTED, new Payloads.Started("train", "w")));

        var offered = projection.archivable(10);
        assertThat(offered).extracting(SavedJob::requestId).containsExactly("old");
        var settled = new ArrayList<String>();
        projection.onEvicted((id, phase) -> settled.add(id + ":" + phase));
        projection.evict("old", Instant.now());

        assertThat(projection.find("old", "k1")).isEmpty();
        assertThat(projection.find("live", "k1")).isPresent();
        assertThat(projection.size()).isEqualTo(1);
        assertThat(settled).containsExactly("old:COMPLETED");
        // Its records read again (a replay, a late attempt) do not bring half of it back.
        projection.submitted(job("old", "k1", "idem-old", "sha-1"));
        projection.apply(event("old", "k1", EventType.WEBHOOK_ATTEMPT, new Payloads.WebhookAttempt("d", 2,
                "https://hooks.example/old", 200, null, 5, "delivered", null)));
        projection.apply(event("never-known", "k1", EventType.WEBHOOK_ATTEMPT, new Payloads.WebhookAttempt("d", 1,
                "https://hooks.example/x", 200, null, 5, "delivered", null)));
        assertThat(projection.size()).isEqualTo(1);
        assertThat(projection.archivable(10)).as("a running job is never offered").isEmpty();
        assertThat(projection.dropOldEvictions(Instant.now().plus(Duration.ofHours(2)))).isEqualTo(1);
    }

    private static JobEvent at(JobEvent event, Instant time) {
        return new JobEvent(event.specVersion(), event.eventId(), event.requestId(), event.keyId(), event.type(), time,
                event.source(), event.payload());
    }

    @Test
    void notifiesSubscribersUntilUnsubscribed() {
        List<JobPhase> seen = new ArrayList<>();
        projection.submitted(job("a", "k"));
        Runnable unsubscribe = projection.subscribe("a", s -> seen.add(s.phase()));
        projection.apply(event("a", "k", EventType.STARTED, new Payloads.Started("preprocess", "w")));
        unsubscribe.run();
        projection.apply(event("a", "k", EventType.CANCELED, new Payloads.Canceled("preprocess")));
        assertThat(seen).containsExactly(JobPhase.IN_PROGRESS);
    }
}
