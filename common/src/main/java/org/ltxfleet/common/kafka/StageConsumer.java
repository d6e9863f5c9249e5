package org.ltxfleet.common.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer-group member that runs one job at a time and commits its offset only after the
 * handler returned, that is after the job's outcome is durable: a worker killed mid-job leaves
 * the job to the next member. While a job runs every partition it holds, including any a
 * rebalance hands it meanwhile, is paused, and the loop keeps polling so the member stays in the
 * group however long the job takes; a record such a poll still returns is rewound, never dropped.
 *
 * <p>Attempts are counted in Kafka: before each attempt the member commits the record's own
 * offset with the attempt number as commit metadata, so a record that kills its JVM (an OOM, a
 * native crash) is counted too. A handler that throws is retried with back-off; after
 * {@code maxAttempts} attempts (one for a record the handler says is not {@linkplain Handler#retried
 * retried}), or once a job runs past the stage's time limit (it is interrupted),
 * the record goes to {@link Handler#giveUp}, which must end the job visibly and is retried until
 * that outcome is durable. Only then does the offset move on.
 *
 * <p>Topics are given in priority order: while an earlier topic has records waiting, the later
 * ones are paused, so a low-priority job never starts ahead of a waiting normal one.
 */
public final class StageConsumer extends ConsumerLoop {

    /** Told how each attempt at a job ended ({@code done}, {@code failed}, {@code handed_back}, {@code paused}: the broker away) and how long it ran. */
    @FunctionalInterface
    public interface AttemptObserver {
        void observe(String result, long nanos);
    }

    /**
     * Told when this worker takes a job and when it lets go of it: {@link #jobStarted} once
     * {@link Handler#claim} returned true (not while it waits for another worker's hold), and
     * {@link #jobEnded} exactly once after each start, after {@link Handler#release}, however the job
     * ended: done, failed and given up, handed back, or left when the member stops or loses the
     * partition. Called on the polling thread: return at once (hand slow work to a thread of your
     * own) and do not throw.
     */
    public interface JobObserver {
        /** This worker now runs the job of the record keyed {@code key}. */
        void jobStarted(String key);

        /** This worker no longer runs the job of the record keyed {@code key}. */
        void jobEnded(String key);
    }

    /** What a stage does with one record. */
    public interface Handler {
        /**
         * Takes the record's job for this worker before any attempt is counted, waiting while
         * another live worker holds it (a rebalance moved the partition while that one runs it).
         * Returns false when the job needs no run here: finished already, or the record is not its
         * request's job; the offset then moves past it. Runs on the job thread while the member
         * keeps polling, and is interrupted when the partition moves on. By default every record is
         * its own job and always free.
         */
        default boolean claim(ConsumerRecord<String, byte[]> record) throws Exception {
            return true;
        }

        /**
         * Whether a failed attempt at the record may be tried again. False (a job submitted with
         * {@code x-fal-no-retry}) makes its first failed attempt, a crash of its worker included, the
         * last: the record goes to {@link #giveUp}. A hand-back is no failed attempt and stays allowed.
         * Called on the polling thread: read the record, nothing slower. By default every record is retried.
         */
        default boolean retried(ConsumerRecord<String, byte[]> record) {
            return true;
        }

        /** Lets go of what {@link #claim} took, once the record is done with or left. */
        default void release(ConsumerRecord<String, byte[]> record) {
        }

        /**
         * Processes the record; returns only when its outcome is durable. Throws {@link HandedBack}
         * to leave the job to another worker without an outcome.
         */
        void handle(ConsumerRecord<String, byte[]> record) throws Exception;

        /**
         * Ends a record that failed every attempt or ran out of time, for example with a FAILED
         * event; throws when that outcome is not durable yet, and is called again, or
         * {@link HandedBack} when the job is no longer this worker's (the record is left).
         */
        void giveUp(ConsumerRecord<String, byte[]> record, Exception lastError) throws Exception;
    }

    /**
     * How a stage retries and bounds its jobs.
     *
     * @param maxAttempts  attempts per record, crashes of the worker's JVM included
     * @param timeLimit    how long a record may take from its first attempt, over all attempts, before
     *                     it is interrupted and given up
     * @param firstBackoff wait before the second attempt; doubles for each further one
     * @param maxHandBacks hand-backs and stops per record (a job whose workers keep being stopped)
     * @param noOffsetReach where a partition without a committed offset is read from: the records of
     *                     this long before now (a new partition, a group whose offsets expired),
     *                     never the whole of a topic kept for ever
     * @param handBack     how long a stopping member gives its running job to hand back (a checkpoint)
     */
    public record Options(int maxAttempts, Duration timeLimit, Duration firstBackoff, int maxHandBacks,
                          Duration noOffsetReach, Duration handBack) {
        /** The default budget of hand-backs and stops per record. */
        public static final int DEFAULT_MAX_HAND_BACKS = 20;
        /** The default time a stopping member gives its job to hand back. */
        public static final Duration DEFAULT_HAND_BACK = Duration.ofSeconds(60);
        /** The default reach back of a partition without a committed offset. */
        public static final Duration DEFAULT_NO_OFFSET_REACH = Duration.ofDays(14);

        public Options {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
            }
            if (maxHandBacks < 1) {
                throw new IllegalArgumentException("maxHandBacks must be at least 1, not " + maxHandBacks);
            }
        }

        /** These options for a record that asked not to be retried: one attempt, the rest unchanged. */
        public Options withoutRetries() {
            return new Options(1, timeLimit, firstBackoff, maxHandBacks, noOffsetReach, handBack);
        }

        public Options(int maxAttempts, Duration timeLimit, Duration firstBackoff, int maxHandBacks) {
            this(maxAttempts, timeLimit, firstBackoff, maxHandBacks, DEFAULT_NO_OFFSET_REACH, DEFAULT_HAND_BACK);
        }

        public Options(int maxAttempts, Duration timeLimit, Duration firstBackoff) {
            this(maxAttempts, timeLimit, firstBackoff, DEFAULT_MAX_HAND_BACKS);
        }
    }

    /** A handler's way to leave a job to another worker: no outcome, no commit, no attempt counted. */
    public static final class HandedBack extends Exception {
        public HandedBack(String reason) {
            super(reason);
        }
    }

    /** A job that ran past its stage's time limit. */
    public static final class TimeLimitExceeded extends Exception {
        TimeLimitExceeded(Duration limit) {
            super("the job ran past its stage's time limit of " + limit.toMinutes() + " min");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(StageConsumer.class);

    private final List<String> topics;
    private final Handler handler;
    private final Options options;
    private final ExecutorService jobThread;
    private volatile Thread runningJob;
    /**
     * The partition of the job in progress, or null: a rebalance pauses what it hands over meanwhile,
     * and {@link BusyPartitionAssignor} keeps it with this member.
     */
    private final AtomicReference<TopicPartition> busy;
    private volatile boolean stopping;
    private volatile AttemptObserver attemptObserver = (result, nanos) -> { };
    /** Guards {@link #jobObserver} and {@link #jobKey}: an observer set mid-job is told of its start. */
    private final Object jobs = new Object();
    private JobObserver jobObserver = new JobObserver() {
        @Override
        public void jobStarted(String key) {
        }

        @Override
        public void jobEnded(String key) {
        }
    };
    /** The key of the job this worker runs, or null. */
    private String jobKey;

    /** Joins {@code groupId} on {@code topics} (highest priority first) and consumes in a background thread. */
    public StageConsumer(KafkaConnection kafka, List<String> topics, String groupId, String clientId,
                         Handler handler, Options options) {
        this(kafka.consumer(groupId, clientId), topics, clientId, handler, options, new AtomicReference<>());
    }

    private StageConsumer(Properties consumer, List<String> topics, String clientId, Handler handler, Options options,
                          AtomicReference<TopicPartition> busy) {
        super(workGroupMember(consumer, busy, options), clientId + "-poll");
        this.busy = busy;
        this.topics = List.copyOf(topics);
        this.handler = handler;
        this.options = options;
        this.jobThread = Executors.newSingleThreadExecutor(Thread.ofPlatform().name(clientId + "-job").factory());
        start();
    }

    /** Reports every attempt to {@code observer} from now on (metrics). */
    public void observeAttempts(AttemptObserver observer) {
        this.attemptObserver = observer;
    }

    /**
     * Reports every job this worker takes and lets go of to {@code observer} from now on (a pod's
     * deletion cost), the one it runs now included: its start is reported at once (a worker's
     * observer set up after its consumer started misses no job). The observer replaced is not told
     * the end of that job.
     */
    public void observeJobs(JobObserver observer) {
        synchronized (jobs) {
            jobObserver = observer;
            if (jobKey != null) {
                observe(observer::jobStarted, jobKey);
            }
        }
    }

    /**
     * One job at a time per worker (the next one stays in Kafka for other members), assigned by
     * {@link BusyPartitionAssignor}, which is told the partition of the running job; a partition
     * without a committed offset is read from {@link Options#noOffsetReach} back.
     */
    private static Properties workGroupMember(Properties props, AtomicReference<TopicPartition> busy, Options options) {
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, BusyPartitionAssignor.class.getName());
        props.put(BusyPartitionAssignor.BUSY, (Supplier<TopicPartition>) busy::get);
        return props;
    }

    @Override
    protected void loop() {
        consumer.subscribe(topics, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // Nothing to flush: offsets are committed right after each job.
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                LOG.debug("{} assigned {}", topics, partitions);
                startWithoutOffsets(partitions);
                // Before this poll returns anything from the new partitions.
                if (busy.get() != null) {
                    consumer.pause(partitions);
                } else {
                    applyPriorities();
                }
            }
        });
        while (running()) {
            applyPriorities();
            ConsumerRecords<String, byte[]> records = poll(Duration.ofMillis(500));
            if (!records.isEmpty()) {
                // One job per poll: priorities are checked again before the next one.
                ConsumerRecord<String, byte[]> first = records.iterator().next();
                rewind(records, first);
                process(first);
            }
        }
    }

    /**
     * Places partitions that come without a committed offset (a new partition, a new group, offsets
     * expired) at their first record of the last {@link Options#noOffsetReach}, or at their end when
     * every record is older: a group that lost its offsets does not run a topic's whole history
     * again. (Kafka's own {@code by_duration} reset never settles on a partition with no record that
     * recent, and blocks the member.) The end is read before the search, so no record written
     * meanwhile is skipped. Should the broker not answer, the consumer's own reset (earliest) applies.
     */
    private void startWithoutOffsets(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        try {
            var committed = consumer.committed(Set.copyOf(partitions), Duration.ofSeconds(10));
            var missing = partitions.stream().filter(p -> committed.get(p) == null).toList();
            if (missing.isEmpty()) {
                return;
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(missing, Duration.ofSeconds(10));
            long since = System.currentTimeMillis() - options.noOffsetReach().toMillis();
            var recent = consumer.offsetsForTimes(missing.stream().collect(java.util.stream.Collectors.toMap(p -> p,
                    p -> since)), Duration.ofSeconds(10));
            for (TopicPartition partition : missing) {
                var first = recent.get(partition);
                consumer.seek(partition, first != null ? first.offset() : ends.get(partition));
            }
            LOG.info("{} had no committed offset in this group (new partitions or group, or offsets expired): "
                    + "reading them from the records of the last {} days", missing, options.noOffsetReach().toDays());
        } catch (RuntimeException e) {
            LOG.warn("could not place {} without committed offsets ({}); the consumer's reset applies", partitions,
                    e.toString());
        }
    }

    /** Pauses every topic after the first one that has records waiting, resumes the rest. */
    private void applyPriorities() {
        if (topics.size() < 2) {
            return;
        }
        var assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, Duration.ofSeconds(5));
        boolean higherWaiting = false;
        for (String topic : topics) {
            var partitions = assigned.stream().filter(p -> p.topic().equals(topic)).toList();
            if (higherWaiting) {
                consumer.pause(partitions);
                continue;
            }
            consumer.resume(partitions);
            higherWaiting = partitions.stream().anyMatch(p -> consumer.position(p) < ends.getOrDefault(p, 0L));
        }
    }

    /** Seeks back every partition of {@code records} to its first record not taken (all but {@code taken}). */
    private void rewind(ConsumerRecords<String, byte[]> records, ConsumerRecord<String, byte[]> taken) {
        for (TopicPartition partition : records.partitions()) {
            if (taken != null && partition.equals(new TopicPartition(taken.topic(), taken.partition()))) {
                consumer.seek(partition, taken.offset() + 1);
            } else {
                consumer.seek(partition, records.records(partition).get(0).offset());
            }
        }
    }

    private void process(ConsumerRecord<String, byte[]> record) {
        var partition = new TopicPartition(record.topic(), record.partition());
        busy.set(partition);
        consumer.pause(consumer.assignment());
        try {
            Boolean mine = claim(record, partition);
            if (mine == null) {
                finish(partition, record, Outcome.LEFT, null);
            } else if (!mine) {
                LOG.info("{} is finished or not this record's job; moving past it", record.key());
                finish(partition, record, Outcome.DONE, null);
            } else {
                jobStarted(record.key());
                try {
                    attempt(record, partition);
                } finally {
                    release(record);
                    jobEnded(record.key());
                }
            }
        } finally {
            busy.set(null);
            consumer.resume(consumer.paused());
        }
    }

    /**
     * Takes the record's job ({@link Handler#claim}) on the job thread, waiting while another worker
     * holds it; null when this member stops or loses the partition first. A claim that fails (the
     * store away) is tried again: no attempt has begun.
     */
    private Boolean claim(ConsumerRecord<String, byte[]> record, TopicPartition partition) {
        for (int tries = 1; running() && !stopping; tries++) {
            Ran<Boolean> claimed = onJobThread(() -> handler.claim(record), record, partition, Long.MAX_VALUE);
            if (claimed.error() == null) {
                return claimed.value();
            }
            if (claimed.left()) {
                return null;
            }
            LOG.warn("could not take {} yet ({}); trying again", record.key(), claimed.error().toString());
            sleepPolling(options.firstBackoff().multipliedBy(Math.min(tries, 10)));
        }
        return null;
    }

    private void jobStarted(String key) {
        synchronized (jobs) {
            jobKey = key;
            observe(jobObserver::jobStarted, key);
        }
    }

    private void jobEnded(String key) {
        synchronized (jobs) {
            jobKey = null;
            observe(jobObserver::jobEnded, key);
        }
    }

    /** Tells the job observer; what it throws is logged, never the job's business. */
    private static void observe(java.util.function.Consumer<String> call, String key) {
        try {
            call.accept(key);
        } catch (RuntimeException e) {
            LOG.warn("the job observer failed on {}: {}", key, e.toString());
        }
    }

    private void release(ConsumerRecord<String, byte[]> record) {
        try {
            handler.release(record);
        } catch (RuntimeException e) {
            LOG.warn("releasing {}: {}", record.key(), e.toString());
        }
    }

    /** Runs the job this member holds: attempts, retries, hand-backs and the give-up, then the commit. */
    private void attempt(ConsumerRecord<String, byte[]> record, TopicPartition partition) {
        AttemptTally tally = AttemptTally.read(committedMetadata(partition, record.offset()), System.currentTimeMillis());
        Exception error = tally.attempts() == 0 ? null : new IllegalStateException("its worker stopped "
                + tally.attempts() + " time(s) without an outcome (killed or crashed)");
        Options limits = retried(record) ? options : options.withoutRetries();
        long deadline = tally.deadline(options.timeLimit());
        Outcome outcome = Outcome.LEFT;
        while (running() && !stopping) {
            String exhausted = tally.exhausted(limits, System.currentTimeMillis());
            if (exhausted != null && limits != options && tally.attempts() >= limits.maxAttempts()) {
                exhausted += ", not retried as the job asked (x-fal-no-retry)";
            }
            if (exhausted != null || error instanceof TimeLimitExceeded) {
                Exception reason = error instanceof TimeLimitExceeded || exhausted == null ? error
                        : new IllegalStateException(exhausted, error);
                LOG.error("giving up on {}: {}", record.key(), exhausted == null ? "over its time limit" : exhausted, reason);
                outcome = giveUp(record, partition, reason) ? Outcome.DONE : Outcome.LEFT;
                break;
            }
            tally = tally.attempted();
            if (!commit(partition, new OffsetAndMetadata(record.offset(), tally.toString()))) {
                return; // the partition moved to another member, which takes the record from here
            }
            long started = System.nanoTime();
            Ran<Void> ran = onJobThread(() -> {
                handler.handle(record);
                return null;
            }, record, null, deadline);
            error = ran.error();
            long nanos = System.nanoTime() - started;
            if (error == null) {
                attemptObserver.observe("done", nanos);
                outcome = Outcome.DONE;
                break;
            }
            if (error instanceof HandedBack || stopping) {
                attemptObserver.observe("handed_back", nanos);
                LOG.info("{} left without an outcome: {}", record.key(), error.getMessage());
                tally = tally.handedBack();
                outcome = Outcome.HANDED_BACK;
                break;
            }
            if (EventWriter.BrokerUnavailable.in(error)) {
                // An outage is not the job's fault: the attempt is not counted and the job waits here.
                attemptObserver.observe("paused", nanos);
                LOG.warn("{} paused while the broker is unreachable; trying again: {}", record.key(), error.toString());
                tally = tally.uncounted();
                sleepPolling(options.firstBackoff().multipliedBy(1L << 5));
                continue;
            }
            attemptObserver.observe("failed", nanos);
            if (tally.exhausted(limits, System.currentTimeMillis()) == null && !(error instanceof TimeLimitExceeded)) {
                LOG.warn("attempt {} of {} failed, retrying: {}", tally.attempts(), record.key(), error.toString());
                sleepPolling(options.firstBackoff().multipliedBy(1L << Math.min(tally.attempts() - 1, 5)));
            }
        }
        finish(partition, record, outcome, tally);
    }

    /** The handler's {@link Handler#retried}; a handler that cannot tell leaves the record retried. */
    private boolean retried(ConsumerRecord<String, byte[]> record) {
        try {
            return handler.retried(record);
        } catch (RuntimeException e) {
            LOG.warn("could not tell whether {} may be retried ({}); retrying it as the stage's settings say",
                    record.key(), e.toString());
            return true;
        }
    }

    private enum Outcome { DONE, HANDED_BACK, LEFT }

    /** Moves the offset past a finished record, or leaves it to be delivered again with its tally. */
    private void finish(TopicPartition partition, ConsumerRecord<String, byte[]> record, Outcome outcome, AttemptTally tally) {
        if (outcome == Outcome.DONE) {
            if (commit(partition, new OffsetAndMetadata(record.offset() + 1)) && consumer.assignment().contains(partition)) {
                // A rebalance during the job reset the position to the attempt's commit (the record
                // itself): without this the finished record would be fetched and run again.
                consumer.seek(partition, record.offset() + 1);
            }
            return;
        }
        try {
            if (outcome == Outcome.HANDED_BACK) {
                commit(partition, new OffsetAndMetadata(record.offset(), tally.toString()));
            }
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, record.offset());
            }
        } catch (RuntimeException e) {
            // Stopping: the committed offset already points at the record.
            LOG.debug("leaving {}: {}", record.key(), e.toString());
        }
    }

    /** The commit metadata of the record at {@code offset}, or null when the committed offset is elsewhere. */
    private String committedMetadata(TopicPartition partition, long offset) {
        OffsetAndMetadata committed = consumer.committed(Set.of(partition), Duration.ofSeconds(30)).get(partition);
        return committed == null || committed.offset() != offset ? null : committed.metadata();
    }

    /**
     * Commits, retrying while a rebalance or the broker is in the way; false when the partition
     * is no longer this member's (its new owner starts from the last commit).
     */
    private boolean commit(TopicPartition partition, OffsetAndMetadata offset) {
        for (int attempt = 1; ; attempt++) {
            if (!consumer.assignment().contains(partition)) {
                LOG.info("{} moved to another member; it carries on from offset {}", partition, offset.offset());
                return false;
            }
            try {
                consumer.commitSync(Map.of(partition, offset), Duration.ofSeconds(15));
                return true;
            } catch (CommitFailedException e) {
                LOG.info("{} moved to another member during the commit; it carries on from there", partition);
                return false;
            } catch (RebalanceInProgressException | RetriableException e) {
                if (!running()) {
                    throw new WakeupException();
                }
                LOG.warn("commit of {} at {} not done yet ({}); retrying", partition, offset.offset(), e.toString());
                sleepPolling(options.firstBackoff().multipliedBy(Math.min(attempt, 10)));
            }
        }
    }

    /**
     * Gives the record up on the job thread (the handler checks that the job is still its own and
     * not finished), retrying until the handler's outcome is durable; false if stopped first.
     */
    private boolean giveUp(ConsumerRecord<String, byte[]> record, TopicPartition partition, Exception error) {
        for (int attempt = 1; running() && !stopping; attempt++) {
            Ran<Void> ran = onJobThread(() -> {
                handler.giveUp(record, error);
                return null;
            }, record, null, Long.MAX_VALUE);
            if (ran.error() == null) {
                return true;
            }
            if (ran.error() instanceof HandedBack) {
                LOG.info("{} is another worker's now: {}", record.key(), ran.error().getMessage());
                return false;
            }
            LOG.warn("the failure of {} is not recorded yet ({}); retrying", record.key(), ran.error().toString());
            sleepPolling(options.firstBackoff().multipliedBy(1L << Math.min(attempt, 6)));
        }
        return false;
    }

    /** What a call on the job thread returned or threw; {@code left}: stopped because the partition left. */
    private record Ran<T>(T value, Exception error, boolean left) {
    }

    /**
     * Runs {@code work} on the job thread while this thread keeps polling (paused) to stay in the
     * group. Past {@code deadlineMillis} (wall clock, spanning attempts) the work is interrupted and
     * ends in {@link TimeLimitExceeded}; with {@code whileAssigned} set it is interrupted as soon as
     * that partition is no longer this member's.
     */
    private <T> Ran<T> onJobThread(java.util.concurrent.Callable<T> work, ConsumerRecord<String, byte[]> record,
                                   TopicPartition whileAssigned, long deadlineMillis) {
        Future<T> job = jobThread.submit(() -> {
            runningJob = Thread.currentThread();
            try {
                return work.call();
            } finally {
                runningJob = null;
            }
        });
        boolean overTime = false;
        boolean left = false;
        while (true) {
            try {
                T value = job.get(200, TimeUnit.MILLISECONDS);
                return overTime ? new Ran<>(null, new TimeLimitExceeded(options.timeLimit()), false)
                        : new Ran<>(value, null, false);
            } catch (TimeoutException stillRunning) {
                if (!overTime && System.currentTimeMillis() > deadlineMillis) {
                    overTime = true;
                    LOG.warn("{} ran past the time limit of {}; interrupting it", record.key(), options.timeLimit());
                    interruptJob();
                }
                keepMembership();
                if (!left && whileAssigned != null && !consumer.assignment().contains(whileAssigned)) {
                    left = true;
                    LOG.info("{} moved to another member while {} waited; leaving the job to it", whileAssigned,
                            record.key());
                    interruptJob();
                }
            } catch (ExecutionException e) {
                if (overTime) {
                    return new Ran<>(null, new TimeLimitExceeded(options.timeLimit()), false);
                }
                Exception cause = e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
                return new Ran<>(null, cause, left);
            } catch (InterruptedException e) {
                return new Ran<>(null, e, true); // close(): the job thread is being stopped too
            }
        }
    }

    private void interruptJob() {
        Thread thread = runningJob;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /**
     * A poll while the job runs on: a failing poll (the broker away) must not abandon a running job
     * to a recovery that would start it a second time, so it is only logged.
     */
    private void keepMembership() {
        try {
            pollPaused(Duration.ZERO);
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.debug("poll during a job failed: {}", e.toString());
        }
    }

    private void sleepPolling(Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        while (running() && System.nanoTime() < until) {
            pollPaused(Duration.ofMillis(200));
        }
    }

    /** Polls to stay in the group while paused; whatever a poll still returns is rewound and paused. */
    private void pollPaused(Duration timeout) {
        ConsumerRecords<String, byte[]> records = poll(timeout);
        if (!records.isEmpty()) {
            rewind(records, null);
            consumer.pause(records.partitions());
        }
    }

    /**
     * Stops: the running job is interrupted and given {@link Options#handBack} to wrap up (the train
     * worker saves a checkpoint) while this member still holds its partitions; its offset is not
     * committed, so the job goes to the next member, which resumes it.
     */
    @Override
    public void close() {
        stopping = true;
        jobThread.shutdownNow();
        try {
            if (!jobThread.awaitTermination(options.handBack().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("the running job did not stop within {} s", options.handBack().toSeconds());
            }
            // Let the polling thread commit the stop into the record's tally before it is woken up.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (busy.get() != null && System.nanoTime() < until) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        super.close();
    }
}
