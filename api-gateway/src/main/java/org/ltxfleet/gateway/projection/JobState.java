package org.ltxfleet.gateway.projection;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.JobEvent;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.job.TrainingInput;
import org.ltxfleet.common.kafka.JobMessage;
import org.ltxfleet.common.kafka.JobMessageCheck;

/**
 * The mutable state of one job, folded from its submission and events. Events of one job arrive
 * in order, but the submission (on ltx.jobs) may arrive before or after the first event (on
 * ltx.events), so each fold only moves the phase forward and the first terminal event wins.
 * Guarded by its own monitor.
 */
final class JobState {

    private final String requestId;
    private String keyId;
    private JobPhase phase = JobPhase.IN_QUEUE;
    private long version;
    private boolean submitted;
    private Instant submittedAt;
    private Instant startedAt;
    private Instant finishedAt;
    /**
     * Shared empty lists until the first entry: most held jobs never get one (a queued job, a long
     * finished one whose logs were dropped), and two empty lists were 64 of a queued job's about
     * 890 bytes (under ZGC), which the collector walks again and again on a busy gateway.
     */
    private List<LogLine> logs = List.of();
    private com.fasterxml.jackson.databind.JsonNode output;
    private Payloads.Failed failure;
    private Payloads.Progress progress;
    private String webhookUrl;
    private String idempotencyKey;
    private String terminalEventId;
    private List<Payloads.WebhookAttempt> webhookAttempts = List.of();
    private String bodySha256;
    private Long outputExpirationSeconds;
    private Instant startBy;
    private Lane lane = Lane.NORMAL;
    private String endpoint;
    private Integer stepsRequested;
    /** Training steps done by the train stage's last progress report; kept when the logs go. */
    private Long stepsDone;
    /** Where the last event folded in lies in ltx.events (-1: none): a replay skips it and what came before. */
    private int eventPartition = -1;
    private long eventOffset = -1;

    JobState(String requestId) {
        this.requestId = requestId;
    }

    /** The job as a snapshot saved it. */
    static JobState restore(SavedJob saved) {
        var state = new JobState(saved.requestId());
        state.keyId = saved.keyId();
        state.phase = saved.phase();
        state.version = saved.version();
        state.submitted = saved.submitted();
        state.submittedAt = saved.submittedAt();
        state.startedAt = saved.startedAt();
        state.finishedAt = saved.finishedAt();
        state.logs = saved.logs().isEmpty() ? List.of() : new ArrayList<>(saved.logs());
        state.output = saved.output();
        state.failure = saved.failure();
        state.progress = saved.progress();
        state.webhookUrl = saved.webhookUrl();
        state.idempotencyKey = saved.idempotencyKey();
        state.terminalEventId = saved.terminalEventId();
        state.webhookAttempts = saved.webhookAttempts().isEmpty() ? List.of()
                : new ArrayList<>(saved.webhookAttempts());
        state.bodySha256 = saved.bodySha256();
        state.outputExpirationSeconds = saved.outputExpirationSeconds();
        state.startBy = saved.startBy();
        state.lane = saved.lane();
        state.eventPartition = saved.eventPartition() == null ? -1 : saved.eventPartition();
        state.eventOffset = saved.eventOffset() == null ? -1 : saved.eventOffset();
        state.endpoint = saved.endpoint();
        state.stepsRequested = saved.stepsRequested();
        state.stepsDone = saved.stepsDone();
        return state;
    }

    synchronized SavedJob save() {
        return new SavedJob(requestId, keyId, phase, version, submitted, submittedAt, startedAt, finishedAt,
                List.copyOf(logs), output, failure, progress, webhookUrl, idempotencyKey, terminalEventId,
                List.copyOf(webhookAttempts), bodySha256, outputExpirationSeconds, startBy, lane,
                eventPartition, eventOffset, endpoint, stepsRequested, stepsDone);
    }

    /** Records the submission; returns false when it was already known (a replay or duplicate). */
    synchronized boolean submit(JobMessage job, Lane lane) {
        if (submitted) {
            return false;
        }
        submitted = true;
        this.lane = lane;
        startBy = job.startBy();
        keyId = job.keyId();
        submittedAt = job.submittedAt();
        webhookUrl = job.webhookUrl();
        idempotencyKey = job.idempotencyKey();
        bodySha256 = job.bodySha256();
        outputExpirationSeconds = job.outputExpirationSeconds();
        endpoint = job.endpoint();
        stepsRequested = requestedSteps(job.input());
        version++;
        return true;
    }

    /**
     * The training steps an input asks for: its {@code number_of_steps}, or the endpoint's default when
     * it names none; null when it or the input is not what the endpoint reads (the job then fails its
     * validation).
     */
    static Integer requestedSteps(JsonNode input) {
        if (input == null || !input.isObject()) {
            return null;
        }
        JsonNode steps = input.get("number_of_steps");
        if (steps == null || steps.isNull()) {
            return TrainingInput.DEFAULT_STEPS;
        }
        return steps.canConvertToExactIntegral() && steps.canConvertToInt() ? steps.intValue() : null;
    }

    /**
     * Folds in the event read at {@code offset} of ltx.events partition {@code partition}, unless
     * this state already holds it (a snapshot taken after its positions, then replayed from them).
     */
    synchronized boolean apply(JobEvent event, int partition, long offset) {
        if (partition == eventPartition && offset <= eventOffset) {
            return false;
        }
        eventPartition = partition;
        eventOffset = offset;
        return apply(event);
    }

    /** Folds one event in; returns whether anything changed. */
    synchronized boolean apply(JobEvent event) {
        if (event.type() == EventType.WEBHOOK_ATTEMPT) {
            webhookAttempts = appended(webhookAttempts, event.payloadAs(Payloads.WebhookAttempt.class));
            version++;
            return true;
        }
        if (phase.terminal() || event.type() == null) {
            return false;
        }
        if (keyId != null && event.keyId() != null && !keyId.equals(event.keyId())) {
            return false; // another key's event under this job's id (a direct producer's): not this job's
        }
        if (keyId == null) {
            keyId = event.keyId();
        }
        switch (event.type()) {
            case STARTED -> {
                if (startedAt == null) {
                    startedAt = event.time();
                }
                phase = JobPhase.IN_PROGRESS;
            }
            case LOG -> {
                var log = event.payloadAs(Payloads.Log.class);
                logs = appended(logs, new LogLine(log.message(), log.level(), event.time()));
            }
            case PROGRESS -> {
                progress = event.payloadAs(Payloads.Progress.class);
                if (Payloads.STAGE_TRAIN.equals(progress.stage())) {
                    stepsDone = progress.done();
                }
            }
            case COMPLETED -> {
                var out = event.payload().get("output");
                output = out == null || out.isNull() ? null : out;
                finish(JobPhase.COMPLETED, event);
            }
            case FAILED -> {
                failure = event.payloadAs(Payloads.Failed.class);
                finish(JobPhase.FAILED, event);
            }
            case CANCELED -> finish(JobPhase.CANCELED, event);
            default -> {
                return false;
            }
        }
        version++;
        return true;
    }

    /** {@code list} with {@code item} added: a list of this state's own once the shared empty one gets an entry. */
    private static <T> List<T> appended(List<T> list, T item) {
        List<T> own = list instanceof ArrayList<T> mutable ? mutable : new ArrayList<>(list);
        own.add(item);
        return own;
    }

    private void finish(JobPhase end, JobEvent event) {
        phase = end;
        terminalEventId = event.eventId();
        finishedAt = event.time();
        if (event.type() == EventType.FAILED && failure != null && failure.detail() != null
                && failure.detail().isTextual()) {
            logs = appended(logs, new LogLine(failure.detail().textValue(), "ERROR", event.time()));
        }
    }

    /**
     * Forgets the job's log lines and last progress (a long-finished job's detail nobody reads
     * any more); its outcome, output and webhook attempts stay.
     */
    synchronized void dropLogs() {
        if (logs.isEmpty() && progress == null) {
            return;
        }
        logs = List.of();
        progress = null;
        version++;
    }

    synchronized Instant finishedAt() {
        return finishedAt;
    }

    synchronized JobPhase phase() {
        return phase;
    }

    synchronized boolean queued() {
        return submitted && phase == JobPhase.IN_QUEUE;
    }

    synchronized boolean submitted() {
        return submitted;
    }

    synchronized boolean known() {
        return submitted || version > 0;
    }

    synchronized String keyId() {
        return keyId;
    }

    synchronized String idempotencyKey() {
        return idempotencyKey;
    }

    synchronized String bodySha256() {
        return bodySha256;
    }

    /** The submission as its first record says; only once {@link #submitted()}. */
    synchronized JobProjection.Submission submission() {
        Duration timeout = startBy == null || submittedAt == null ? null : Duration.between(submittedAt, startBy);
        return new JobProjection.Submission(requestId, keyId, bodySha256, webhookUrl,
                lane == Lane.LOW ? "low" : "normal", timeout);
    }

    synchronized Lane lane() {
        return lane;
    }

    synchronized Instant startBy() {
        return startBy;
    }

    /**
     * When a completed job's outputs are deleted: its end plus the retention it was submitted with;
     * null while that is unknown (running, no retention, or the submission not read yet).
     */
    synchronized Instant outputsExpireAt() {
        if (phase != JobPhase.COMPLETED || outputExpirationSeconds == null || finishedAt == null) {
            return null;
        }
        // Messages are checked (JobMessageCheck); a snapshot written before that may still hold any long.
        long seconds = Math.clamp(outputExpirationSeconds, 0, JobMessageCheck.MAX_OUTPUT_EXPIRATION_SECONDS);
        return finishedAt.plusSeconds(seconds);
    }

    /** The job as its owner's list shows it. */
    synchronized JobSummary summary() {
        return new JobSummary(requestId, keyId, phase, submittedAt, startedAt, finishedAt, endpoint, stepsRequested,
                stepsDone, failure == null ? null : failure.errorType());
    }

    /** Its place in its owner's list (fixed from its submission on). */
    synchronized ListPosition position() {
        return ListPosition.of(submittedAt, requestId);
    }

    synchronized JobSnapshot snapshot() {
        return new JobSnapshot(requestId, keyId, phase, version, submittedAt, startedAt, finishedAt,
                List.copyOf(logs), output, failure, progress, webhookUrl, terminalEventId, List.copyOf(webhookAttempts),
                outputsExpireAt());
    }
}
