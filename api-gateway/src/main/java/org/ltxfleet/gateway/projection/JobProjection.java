package org.ltxfleet.gateway.projection;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.JobEvent;
import org.ltxfleet.common.kafka.JobMessage;
import org.ltxfleet.common.kafka.Topics;

/**
 * Every job's state, folded from {@code ltx.jobs} (submissions) and {@code ltx.events} (what
 * happened next). Nothing here is the source of truth: a restarted gateway rebuilds it all by
 * reading both topics from the beginning. Thread-safe; listeners run on the thread that applied
 * the change and must not block.
 */
public final class JobProjection {

    private final Map<String, JobState> jobs = new ConcurrentHashMap<>();
    /** Low-priority jobs sort after every normal one. */
    private static final long LOW_PRIORITY = 1L << 50;

    /** Jobs still waiting for a worker, normal priority first, each in submission order: the real backlog. */
    private final ConcurrentSkipListMap<Long, String> queue = new ConcurrentSkipListMap<>();
    private final Map<String, Long> queueSeq = new ConcurrentHashMap<>();
    private final AtomicLong nextSeq = new AtomicLong();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger queuedNormal = new AtomicInteger();
    /** Queued jobs per API key id. */
    private final Map<String, AtomicInteger> queuedByKey = new ConcurrentHashMap<>();
    private final Map<String, String> idempotency = new ConcurrentHashMap<>();
    private final Object queueLock = new Object();
    private final Map<String, List<Consumer<JobSnapshot>>> listeners = new ConcurrentHashMap<>();
    /** Completed jobs whose outputs are to be deleted, soonest first. */
    private final ConcurrentSkipListSet<OutputExpiry> outputExpiries =
            new ConcurrentSkipListSet<>();
    /** Outputs that expired longer ago than this before a replay were deleted then (or by the bucket's rules). */
    static final Duration EXPIRY_LOOKBACK = Duration.ofDays(7);
    /** Queued jobs with a deadline to start (X-Fal-Request-Timeout), soonest first. */
    private final ConcurrentSkipListSet<StartDeadline> startDeadlines =
            new ConcurrentSkipListSet<>();

    /** Records a submission (from the gateway on acknowledgement, or read back from Kafka); idempotent. */
    public void submitted(JobMessage job) {
        JobState state = jobs.computeIfAbsent(job.requestId(), JobState::new);
        // Under the queue lock: the gateway and the Kafka reader may record the same job at once, and
        // whichever loses must not read the queue counts before the winner has updated them.
        synchronized (queueLock) {
            if (!state.submit(job)) {
                return;
            }
            if (job.idempotencyKey() != null) {
                idempotency.putIfAbsent(idempotencyScope(job.keyId(), job.idempotencyKey()), job.requestId());
            }
            if (state.queued()) {
                if (job.startBy() != null) {
                    startDeadlines.add(new StartDeadline(job.startBy(), job.requestId(), job.keyId()));
                }
                boolean low = Topics.JOBS_LOW.equals(Topics.jobTopic(job.priority()));
                long seq = nextSeq.getAndIncrement() + (low ? LOW_PRIORITY : 0);
                queueSeq.put(job.requestId(), seq);
                queue.put(seq, job.requestId());
                queued.incrementAndGet();
                queuedByKey.computeIfAbsent(job.keyId(), k -> new AtomicInteger()).incrementAndGet();
                if (!low) {
                    queuedNormal.incrementAndGet();
                }
            }
        }
        // The submission (with the retention) and the end may arrive in either order: each checks.
        indexExpiry(state, job.requestId());
        notifyListeners(job.requestId(), state);
    }

    /** Folds one event into its job. */
    public void apply(JobEvent event) {
        JobState state = jobs.computeIfAbsent(event.requestId(), JobState::new);
        synchronized (queueLock) {
            if (!state.apply(event)) {
                return;
            }
            if (!state.queued()) {
                Long seq = queueSeq.remove(event.requestId());
                if (seq != null && queue.remove(seq) != null) {
                    queued.decrementAndGet();
                    queuedByKey.computeIfPresent(state.keyId(), (k, n) -> n.decrementAndGet() == 0 ? null : n);
                    if (seq < LOW_PRIORITY) {
                        queuedNormal.decrementAndGet();
                    }
                }
            }
        }
        if (event.type() == EventType.COMPLETED) {
            indexExpiry(state, event.requestId());
        }
        notifyListeners(event.requestId(), state);
    }

    private void indexExpiry(JobState state, String requestId) {
        Instant at = state.outputsExpireAt();
        if (at != null && at.isAfter(Instant.now().minus(EXPIRY_LOOKBACK))) {
            outputExpiries.add(new OutputExpiry(at, requestId));
        }
    }

    /** The job as its owner sees it; empty for unknown ids and for other keys' jobs alike. */
    public Optional<JobSnapshot> find(String requestId, String keyId) {
        JobState state = jobs.get(requestId);
        if (state == null || !state.known() || !keyId.equals(state.keyId())) {
            return Optional.empty();
        }
        return Optional.of(state.snapshot());
    }

    /** How the job ended by its first terminal event, whoever owns it; empty while it runs or is unknown. */
    public Optional<JobPhase> outcome(String requestId) {
        JobState state = jobs.get(requestId);
        if (state == null) {
            return Optional.empty();
        }
        JobPhase phase = state.phase();
        return phase.terminal() ? Optional.of(phase) : Optional.empty();
    }

    /** How many queued jobs are ahead of this one (0 = next), or -1 when it is not queued. */
    public int queuePosition(String requestId) {
        Long seq = queueSeq.get(requestId);
        return seq == null ? -1 : queue.headMap(seq).size();
    }

    /** The position of a job just submitted with this priority: behind everything of its priority or higher. */
    public int positionOfNewest(String priority) {
        boolean low = Topics.JOBS_LOW.equals(Topics.jobTopic(priority));
        return Math.max(0, (low ? queued.get() : queuedNormal.get()) - 1);
    }

    /** How many of this API key's jobs are waiting for a worker. */
    public int queuedCount(String keyId) {
        AtomicInteger count = queuedByKey.get(keyId);
        return count == null ? 0 : count.get();
    }

    /** How many jobs are waiting for a worker. */
    public int queuedCount() {
        return queued.get();
    }

    /** The job an idempotency key was first used for, with the hash of its body. */
    public Optional<Submission> idempotent(String keyId, String idempotencyKey) {
        String requestId = idempotency.get(idempotencyScope(keyId, idempotencyKey));
        return requestId == null ? Optional.empty() : submissionNow(requestId);
    }

    /** Who submitted a job and the hash of the body, as its first record on the job topics says. */
    public record Submission(String requestId, String keyId, String bodySha256) {
    }

    /**
     * The job's first submission once this projection has read it from Kafka. Every record of one
     * request id lands on one partition and is read in order, so every gateway sees the same first.
     */
    public java.util.concurrent.CompletableFuture<Submission> submission(String requestId) {
        var first = new java.util.concurrent.CompletableFuture<Submission>();
        Runnable unsubscribe = subscribe(requestId, change -> submissionNow(requestId).ifPresent(first::complete));
        submissionNow(requestId).ifPresent(first::complete);
        first.whenComplete((submission, error) -> unsubscribe.run());
        return first;
    }

    private Optional<Submission> submissionNow(String requestId) {
        JobState state = jobs.get(requestId);
        return state == null || !state.submitted() ? Optional.empty()
                : Optional.of(new Submission(requestId, state.keyId(), state.bodySha256()));
    }

    /** A queued job's deadline to start. */
    public record StartDeadline(Instant at, String requestId, String keyId)
            implements Comparable<StartDeadline> {
        @Override
        public int compareTo(StartDeadline other) {
            int byTime = at.compareTo(other.at);
            return byTime != 0 ? byTime : requestId.compareTo(other.requestId);
        }
    }

    /**
     * Takes the deadlines passed at {@code now} of jobs still waiting for a worker; deadlines of
     * jobs that started or ended meanwhile are dropped.
     */
    public List<StartDeadline> takeMissedStarts(Instant now) {
        var missed = new ArrayList<StartDeadline>();
        for (StartDeadline first; (first = startDeadlines.isEmpty() ? null : startDeadlines.first()) != null
                && !first.at().isAfter(now); ) {
            if (startDeadlines.remove(first)) {
                JobState state = jobs.get(first.requestId());
                if (state != null && state.queued()) {
                    missed.add(first);
                }
            }
        }
        return missed;
    }

    /** When a completed job's outputs are to be deleted. */
    public record OutputExpiry(Instant at, String requestId) implements Comparable<OutputExpiry> {
        @Override
        public int compareTo(OutputExpiry other) {
            int byTime = at.compareTo(other.at);
            return byTime != 0 ? byTime : requestId.compareTo(other.requestId);
        }
    }

    /** Takes the jobs whose outputs' retention has passed at {@code now}, each once. */
    public List<OutputExpiry> takeExpiredOutputs(Instant now) {
        var expired = new ArrayList<OutputExpiry>();
        for (OutputExpiry first; (first = outputExpiries.isEmpty() ? null : outputExpiries.first()) != null
                && !first.at().isAfter(now); ) {
            if (outputExpiries.remove(first)) {
                expired.add(first);
            }
        }
        return expired;
    }

    /** Calls the listener with every later change of the job until the returned handle is run. */
    public Runnable subscribe(String requestId, Consumer<JobSnapshot> listener) {
        listeners.computeIfAbsent(requestId, id -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.computeIfPresent(requestId, (id, list) -> {
            list.remove(listener);
            return list.isEmpty() ? null : list;
        });
    }

    /** Number of jobs known, for metrics. */
    public int size() {
        return jobs.size();
    }

    private void notifyListeners(String requestId, JobState state) {
        List<Consumer<JobSnapshot>> subscribed = listeners.get(requestId);
        if (subscribed == null) {
            return;
        }
        // A snapshot copies the job's logs: take one only when someone listens.
        JobSnapshot snapshot = state.snapshot();
        subscribed.forEach(l -> l.accept(snapshot));
    }

    private static String idempotencyScope(String keyId, String idempotencyKey) {
        return keyId + '\u0000' + idempotencyKey;
    }
}
