package org.ltxfleet.gateway.projection;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.ltxfleet.common.config.Settings;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.JobEvent;
import org.ltxfleet.common.kafka.JobMessage;
import org.ltxfleet.common.kafka.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every job's state, folded from {@code ltx.jobs} (submissions) and {@code ltx.events} (what
 * happened next). Nothing here is the source of truth: a restarted gateway rebuilds it all by
 * reading both topics, from the beginning or from a snapshot's positions after {@link #restore}
 * (see {@link #save}). Thread-safe; listeners run on the thread that applied
 * the change and must not block.
 */
public final class JobProjection {

    /** How long a finished job keeps its log lines by default (gateway.logs.retention.hours). */
    public static final Duration DEFAULT_LOG_RETENTION =
            Duration.ofHours(Settings.GATEWAY_LOG_RETENTION_HOURS.defaultValue());
    /** Outputs that expired longer ago than this before a replay were deleted then (or by the bucket's rules). */
    static final Duration EXPIRY_LOOKBACK = Duration.ofDays(7);

    private static final Logger LOG = LoggerFactory.getLogger(JobProjection.class);

    private final Map<String, JobState> jobs = new ConcurrentHashMap<>();
    private int skippedOnRestore;
    /** Jobs still waiting for a worker, lane by lane, each in submission order: the real backlog. */
    private final ConcurrentSkipListMap<Long, String> queue = new ConcurrentSkipListMap<>();
    private final Map<String, Queued> queuedJobs = new ConcurrentHashMap<>();
    private final AtomicLong nextSeq = new AtomicLong();
    private final Map<Lane, AtomicInteger> queuedByLane = new EnumMap<>(Lane.class);
    /** Queued jobs per lane and API key id. */
    private final Map<Lane, Map<String, AtomicInteger>> queuedByKey = new EnumMap<>(Lane.class);
    private final Map<String, String> idempotency = new ConcurrentHashMap<>();
    /** Each key's submitted jobs, newest first: its list of requests pages through these without a scan of all jobs. */
    private final Map<String, ConcurrentSkipListSet<ListPosition>> byKey = new ConcurrentHashMap<>();
    private final Object queueLock = new Object();
    private final Map<String, List<Consumer<JobSnapshot>>> listeners = new ConcurrentHashMap<>();
    /** Queued jobs with a deadline to start (X-Fal-Request-Timeout), soonest first. */
    private final ConcurrentSkipListSet<StartDeadline> startDeadlines = new ConcurrentSkipListSet<>();
    /** Completed jobs whose outputs are to be deleted, soonest first. */
    private final ConcurrentSkipListSet<Due> outputExpiries = new ConcurrentSkipListSet<>();
    /** Finished jobs that still hold their log lines, by when they lose them, soonest first. */
    private final ConcurrentSkipListSet<Due> logExpiries = new ConcurrentSkipListSet<>();
    private final Duration logRetention;
    /** Finished jobs whose detail is gone, waiting to be archived and evicted ({@link #archivable}). */
    private final java.util.concurrent.ConcurrentLinkedQueue<String> toArchive =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    /**
     * Jobs evicted to the archive, by when they were: a late or replayed record of one is ignored
     * rather than bringing a half job back. Kept one log retention, so it holds the recent evictions only.
     */
    private final Map<String, Evicted> evicted = new ConcurrentHashMap<>();
    private volatile java.util.function.BiConsumer<String, JobPhase> onEvicted = (id, phase) -> { };

    /** A projection whose finished jobs keep their logs for {@link #DEFAULT_LOG_RETENTION}. */
    public JobProjection() {
        this(DEFAULT_LOG_RETENTION);
    }

    /** A projection whose finished jobs keep their log lines for {@code logRetention} after their end. */
    public JobProjection(Duration logRetention) {
        this.logRetention = logRetention;
        for (Lane lane : Lane.values()) {
            queuedByLane.put(lane, new AtomicInteger());
            queuedByKey.put(lane, new ConcurrentHashMap<>());
        }
    }

    /** Where a waiting job sits in the queue. */
    private record Queued(long seq, Lane lane, String keyId) {
    }

    /** A job gone to the archive: when, and how it had ended. */
    private record Evicted(Instant at, JobPhase outcome) {
    }

    /** Something due for a job at a moment (its outputs' deletion, its logs' end), ordered by that moment. */
    public record Due(Instant at, String requestId) implements Comparable<Due> {
        @Override
        public int compareTo(Due other) {
            int byTime = at.compareTo(other.at);
            return byTime != 0 ? byTime : requestId.compareTo(other.requestId);
        }
    }

    /** Records a submission on the topic its priority names; see {@link #submitted(JobMessage, Lane)}. */
    public void submitted(JobMessage job) {
        submitted(job, Lane.of(Topics.jobTopic(job.priority())));
    }

    /** Records a submission (from the gateway on acknowledgement, or read back from Kafka) in its lane; idempotent. */
    public void submitted(JobMessage job, Lane lane) {
        if (evicted.containsKey(job.requestId())) {
            return; // archived: its submission read again (a replay) must not bring it back
        }
        JobState state = jobs.computeIfAbsent(job.requestId(), JobState::new);
        // Under the queue lock: the gateway and the Kafka reader may record the same job at once, and
        // whichever loses must not read the queue counts before the winner has updated them.
        synchronized (queueLock) {
            if (!state.submit(job, lane)) {
                return;
            }
            index(state, job.requestId());
        }
        // The submission (with the retention) and the end may arrive in either order: each checks.
        indexExpiry(state, job.requestId());
        notifyListeners(job.requestId(), state);
    }

    /** Enters a submitted job in its key's list, the idempotency index and, while it waits, in its lane's queue. */
    private void index(JobState state, String requestId) {
        String keyId = state.keyId();
        ListPosition position = state.position();
        byKey.compute(keyId, (k, jobsOfKey) -> {
            var set = jobsOfKey == null ? new ConcurrentSkipListSet<ListPosition>() : jobsOfKey;
            set.add(position);
            return set;
        });
        if (state.idempotencyKey() != null) {
            idempotency.putIfAbsent(idempotencyScope(keyId, state.idempotencyKey()), requestId);
        }
        if (state.queued()) {
            if (state.startBy() != null) {
                startDeadlines.add(new StartDeadline(state.startBy(), requestId, keyId));
            }
            Lane lane = state.lane();
            long seq = nextSeq.getAndIncrement() + lane.orderBase();
            queuedJobs.put(requestId, new Queued(seq, lane, keyId));
            queue.put(seq, requestId);
            queuedByLane.get(lane).incrementAndGet();
            queuedByKey.get(lane).computeIfAbsent(keyId, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    /**
     * Every job as a snapshot keeps it, the waiting ones first in queue order, so that
     * {@link #restore} queues them as they were. Safe beside concurrent changes: each job is saved
     * whole, and a job that changes meanwhile is saved before or after the change.
     */
    public List<SavedJob> save() {
        var saved = new ArrayList<SavedJob>(jobs.size());
        var waiting = new java.util.HashSet<String>();
        for (String requestId : queue.values()) {
            JobState state = jobs.get(requestId);
            if (state != null && waiting.add(requestId)) {
                saved.add(state.save());
            }
        }
        jobs.forEach((requestId, state) -> {
            if (!waiting.contains(requestId)) {
                saved.add(state.save());
            }
        });
        return saved;
    }

    /** Fills an empty projection from a snapshot's jobs, in their order; the indexes are rebuilt as replay would. */
    public void restore(List<SavedJob> saved) {
        if (!jobs.isEmpty()) {
            throw new IllegalStateException("restore into a projection that already holds jobs");
        }
        for (SavedJob job : saved) {
            try {
                restore(job);
            } catch (RuntimeException e) {
                // One job a snapshot cannot give back must not keep the gateway from starting.
                skippedOnRestore++;
                if (job.requestId() != null) {
                    JobState half = jobs.remove(job.requestId());
                    if (half != null && half.submitted()) {
                        unlist(half);
                    }
                }
                LOG.warn("skipping job {} of the snapshot: {}", job.requestId(), e.toString());
            }
        }
    }

    private void restore(SavedJob job) {
        if (job.requestId() == null || job.keyId() == null) {
            throw new IllegalArgumentException("a saved job without request_id or key_id");
        }
        JobState state = JobState.restore(job);
        jobs.put(job.requestId(), state);
        synchronized (queueLock) {
            if (state.submitted()) {
                index(state, job.requestId());
            }
        }
        indexExpiry(state, job.requestId());
        if (state.phase().terminal() && state.finishedAt() != null) {
            retainLogs(state, job.requestId());
        }
    }

    /** Jobs of the snapshot {@link #restore} could not give back. */
    public int skippedOnRestore() {
        return skippedOnRestore;
    }

    /** Folds one event into its job. */
    public void apply(JobEvent event) {
        apply(event, state -> state.apply(event));
    }

    /**
     * Folds in the event read at {@code offset} of ltx.events partition {@code partition}; an event
     * its job already holds (from a snapshot taken after its positions) is skipped.
     */
    public void apply(JobEvent event, int partition, long offset) {
        apply(event, state -> state.apply(event, partition, offset));
    }

    private void apply(JobEvent event, Predicate<JobState> fold) {
        if (evicted.containsKey(event.requestId())
                || event.type() == EventType.WEBHOOK_ATTEMPT && !jobs.containsKey(event.requestId())) {
            // An archived job's late event, or a redelivery's attempt for one archived long ago.
            return;
        }
        JobState state = jobs.computeIfAbsent(event.requestId(), JobState::new);
        synchronized (queueLock) {
            if (!fold.test(state)) {
                return;
            }
            if (!state.queued()) {
                Queued left = queuedJobs.remove(event.requestId());
                if (left != null && queue.remove(left.seq()) != null) {
                    queuedByLane.get(left.lane()).decrementAndGet();
                    queuedByKey.get(left.lane()).computeIfPresent(left.keyId(),
                            (k, n) -> n.decrementAndGet() == 0 ? null : n);
                }
            }
        }
        if (event.type() == EventType.COMPLETED) {
            indexExpiry(state, event.requestId());
        }
        if (event.type().terminal()) {
            retainLogs(state, event.requestId());
        }
        notifyListeners(event.requestId(), state);
    }

    /**
     * A job that ended long ago (read back at start-up) loses its logs and its idempotency key at
     * once; others when their time comes.
     */
    private void retainLogs(JobState state, String requestId) {
        Instant until = state.finishedAt().plus(logRetention);
        if (until.isBefore(Instant.now())) {
            forgetDetail(state, requestId);
        } else {
            logExpiries.add(new Due(until, requestId));
        }
    }

    /**
     * What a long-finished job no longer needs: its log lines, and its idempotency key (a retry
     * that late is a new job), so that memory follows the recent jobs.
     */
    private void forgetDetail(JobState state, String requestId) {
        state.dropLogs();
        if (state.idempotencyKey() != null) {
            idempotency.remove(idempotencyScope(state.keyId(), state.idempotencyKey()), requestId);
        }
        if (state.phase().terminal()) {
            toArchive.add(requestId);
        }
    }

    /**
     * Up to {@code most} finished jobs past the log retention, as the archive keeps them: once
     * written, {@link #evict} each; one not evicted is offered again with the next call's.
     */
    public List<SavedJob> archivable(int most) {
        var taken = new ArrayList<SavedJob>();
        for (String requestId; taken.size() < most && (requestId = toArchive.poll()) != null; ) {
            JobState state = jobs.get(requestId);
            if (state != null && state.phase().terminal()) {
                taken.add(state.save());
            }
        }
        return taken;
    }

    /** Offers a job {@link #archivable} gave but could not be archived (the store away) again. */
    public void archiveLater(String requestId) {
        toArchive.add(requestId);
    }

    /**
     * Forgets an archived job: its status is answered from the archive from now on, and late
     * records of it are ignored for one log retention. Tells the {@link #onEvicted} listener how it ended.
     */
    public void evict(String requestId, Instant now) {
        JobState state = jobs.get(requestId);
        if (state == null) {
            return;
        }
        evicted.put(requestId, new Evicted(now, state.phase()));
        jobs.remove(requestId);
        unlist(state);
        listeners.remove(requestId);
        onEvicted.accept(requestId, state.phase());
    }

    /** Tells {@code listener} of every job evicted from now on and how it ended (the ledger settles its charge). */
    public void onEvicted(java.util.function.BiConsumer<String, JobPhase> listener) {
        this.onEvicted = listener;
    }

    /** Forgets the evictions older than one log retention before {@code now}; returns how many. */
    public int dropOldEvictions(Instant now) {
        Instant before = now.minus(logRetention);
        int dropped = 0;
        for (var entry : evicted.entrySet()) {
            if (entry.getValue().at().isBefore(before) && evicted.remove(entry.getKey(), entry.getValue())) {
                dropped++;
            }
        }
        return dropped;
    }

    /**
     * Drops the log lines and idempotency keys of jobs that ended more than the retention before
     * {@code now}, so the projection's memory follows the recent jobs rather than the whole
     * history; returns how many.
     */
    public int dropExpiredLogs(Instant now) {
        int dropped = 0;
        for (Due due : takeDue(logExpiries, d -> d.at().isBefore(now))) {
            JobState state = jobs.get(due.requestId());
            if (state != null) {
                forgetDetail(state, due.requestId());
                dropped++;
            }
        }
        return dropped;
    }

    private void indexExpiry(JobState state, String requestId) {
        Instant at = state.outputsExpireAt();
        if (at != null && at.isAfter(Instant.now().minus(EXPIRY_LOOKBACK))) {
            outputExpiries.add(new Due(at, requestId));
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

    /**
     * Up to {@code most} of the key's submitted jobs that come after {@code after} in its list (from the
     * newest when null), newest first, only those in {@code phase} when it is not null. Reads the
     * key's own jobs only, skipping those of other phases.
     */
    public List<JobSummary> newestFirst(String keyId, ListPosition after, JobPhase phase, int most) {
        ConcurrentSkipListSet<ListPosition> listed = byKey.get(keyId);
        if (listed == null || most <= 0) {
            return List.of();
        }
        var found = new ArrayList<JobSummary>(Math.min(most, 128));
        for (ListPosition position : after == null ? listed : listed.tailSet(after, false)) {
            JobState state = jobs.get(position.requestId());
            if (state == null || !keyId.equals(state.keyId())) {
                continue; // evicted meanwhile
            }
            JobSummary job = state.summary();
            if (phase == null || job.phase() == phase) {
                found.add(job);
                if (found.size() == most) {
                    break;
                }
            }
        }
        return found;
    }

    private void unlist(JobState state) {
        if (state.keyId() == null) {
            return; // known from events only: never listed
        }
        ListPosition position = state.position();
        byKey.computeIfPresent(state.keyId(), (k, jobsOfKey) -> {
            jobsOfKey.remove(position);
            return jobsOfKey.isEmpty() ? null : jobsOfKey;
        });
    }

    /** The id of the key that owns the job, for the gateway's own readers (never an API answer); empty when unknown. */
    public Optional<String> owner(String requestId) {
        JobState state = jobs.get(requestId);
        return state == null || !state.known() ? Optional.empty() : Optional.ofNullable(state.keyId());
    }

    /** How a job the projection let go lately (within one retention) had ended; empty for any other. */
    public Optional<JobPhase> evictedOutcome(String requestId) {
        Evicted gone = evicted.get(requestId);
        return gone == null ? Optional.empty() : Optional.of(gone.outcome());
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
        Queued job = queuedJobs.get(requestId);
        return job == null ? -1 : queue.headMap(job.seq()).size();
    }

    /** The position of a job just queued in {@code lane}: behind everything in its lane and the lanes before. */
    public int positionOfNewest(Lane lane) {
        int ahead = 0;
        for (Lane earlier : Lane.values()) {
            if (earlier.compareTo(lane) <= 0) {
                ahead += queuedByLane.get(earlier).get();
            }
        }
        return Math.max(0, ahead - 1);
    }

    /** How many of this API key's jobs are waiting for a worker, in every lane. */
    public int queuedCount(String keyId) {
        int count = 0;
        for (Lane lane : Lane.values()) {
            count += queuedCount(keyId, lane);
        }
        return count;
    }

    /** How many of this API key's jobs are waiting in {@code lane}. */
    public int queuedCount(String keyId, Lane lane) {
        AtomicInteger count = queuedByKey.get(lane).get(keyId);
        return count == null ? 0 : count.get();
    }

    /** How many jobs are waiting for a worker. */
    public int queuedCount() {
        return queuedByLane.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** The job an idempotency key was first used for, with the hash of its body. */
    public Optional<Submission> idempotent(String keyId, String idempotencyKey) {
        String requestId = idempotency.get(idempotencyScope(keyId, idempotencyKey));
        return requestId == null ? Optional.empty() : submissionNow(requestId);
    }

    /**
     * Who submitted a job, the hash of the body and the request's options, as its first record on
     * the job topics says: a replay of an idempotency key must match all of them.
     *
     * @param priority     {@code low} or {@code normal}, from the lane the record was written to
     * @param startTimeout the {@code X-Fal-Request-Timeout} asked for (start deadline less submission), or null
     */
    public record Submission(String requestId, String keyId, String bodySha256, String webhookUrl, String priority,
                             Duration startTimeout) {

        /** A submission without a webhook, at normal priority and without a start deadline. */
        public Submission(String requestId, String keyId, String bodySha256) {
            this(requestId, keyId, bodySha256, null, "normal", null);
        }
    }

    /**
     * The job's first submission once this projection has read it from Kafka. Every record of one
     * request id lands on one partition and is read in order, so every gateway sees the same first.
     */
    public CompletableFuture<Submission> submission(String requestId) {
        var first = new CompletableFuture<Submission>();
        Runnable unsubscribe = subscribe(requestId, change -> submissionNow(requestId).ifPresent(first::complete));
        submissionNow(requestId).ifPresent(first::complete);
        first.whenComplete((submission, error) -> unsubscribe.run());
        return first;
    }

    private Optional<Submission> submissionNow(String requestId) {
        JobState state = jobs.get(requestId);
        return state == null || !state.submitted() ? Optional.empty()
                : Optional.of(state.submission());
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
        return takeDue(startDeadlines, d -> !d.at().isAfter(now)).stream().filter(d -> {
            JobState state = jobs.get(d.requestId());
            return state != null && state.queued();
        }).toList();
    }

    /** Takes the jobs whose outputs' retention has passed at {@code now}, each once. */
    public List<Due> takeExpiredOutputs(Instant now) {
        return takeDue(outputExpiries, e -> !e.at().isAfter(now));
    }

    /** Removes and returns the leading entries of a time-ordered set that are due, each taken by one caller. */
    private static <T> List<T> takeDue(ConcurrentSkipListSet<T> soonestFirst, Predicate<T> due) {
        var taken = new ArrayList<T>();
        for (T first = firstOrNull(soonestFirst); first != null && due.test(first); first = firstOrNull(soonestFirst)) {
            if (soonestFirst.remove(first)) {
                taken.add(first);
            }
        }
        return taken;
    }

    private static <T> T firstOrNull(ConcurrentSkipListSet<T> set) {
        try {
            return set.first();
        } catch (NoSuchElementException empty) {
            return null;
        }
    }

    /** Calls the listener with every later change of the job until the returned handle is run. */
    public Runnable subscribe(String requestId, Consumer<JobSnapshot> listener) {
        listeners.computeIfAbsent(requestId, id -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.computeIfPresent(requestId, (id, list) -> {
            list.remove(listener);
            return list.isEmpty() ? null : list;
        });
    }

    /** Number of jobs held in memory (live and recently finished), for metrics. */
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
