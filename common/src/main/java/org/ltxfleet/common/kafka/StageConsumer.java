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
 * {@code maxAttempts} attempts, or once a job runs past the stage's time limit (it is interrupted),
 * the record goes to {@link Handler#giveUp}, which must end the job visibly and is retried until
 * that outcome is durable. Only then does the offset move on.
 *
 * <p>Topics are given in priority order: while an earlier topic has records waiting, the later
 * ones are paused, so a low-priority job never starts ahead of a waiting normal one.
 */
public final class StageConsumer extends ConsumerLoop {

    /** Told how each attempt at a job ended ({@code done}, {@code failed}, {@code handed_back}) and how long it ran. */
    @FunctionalInterface
    public interface AttemptObserver {
        void observe(String result, long nanos);
    }

    /** What a stage does with one record. */
    public interface Handler {
        /**
         * Processes the record; returns only when its outcome is durable. Throws {@link HandedBack}
         * to leave the job to another worker without an outcome.
         */
        void handle(ConsumerRecord<String, byte[]> record) throws Exception;

        /**
         * Ends a record that failed every attempt or ran out of time, for example with a FAILED
         * event; throws when that outcome is not durable yet, and is called again.
         */
        void giveUp(ConsumerRecord<String, byte[]> record, Exception lastError) throws Exception;
    }

    /**
     * How a stage retries and bounds its jobs.
     *
     * @param maxAttempts  attempts per record, crashes of the worker's JVM included
     * @param timeLimit    how long one attempt may run before it is interrupted and given up
     * @param firstBackoff wait before the second attempt; doubles for each further one
     */
    public record Options(int maxAttempts, Duration timeLimit, Duration firstBackoff) {
        public Options {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
            }
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
    /** Commit metadata of a record being attempted: {@code attempts=N}. */
    private static final String ATTEMPTS = "attempts=";

    private final List<String> topics;
    private final Handler handler;
    private final Options options;
    private final ExecutorService jobThread;
    private volatile Thread runningJob;
    /** The partition of the job in progress, or null; a rebalance pauses what it hands over meanwhile. */
    private volatile TopicPartition busy;
    private volatile boolean stopping;
    private volatile AttemptObserver attemptObserver = (result, nanos) -> { };

    /** Joins {@code groupId} on {@code topics} (highest priority first) and consumes in a background thread. */
    public StageConsumer(KafkaConnection kafka, List<String> topics, String groupId, String clientId,
                         Handler handler, Options options) {
        super(oneRecordAtATime(kafka.consumer(groupId, clientId)), clientId + "-poll");
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

    /** One job at a time per worker: the next one stays in Kafka for other members. */
    private static Properties oneRecordAtATime(Properties props) {
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
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
                // Before this poll returns anything from the new partitions.
                if (busy != null) {
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
        busy = partition;
        consumer.pause(consumer.assignment());
        try {
            int attempts = previousAttempts(partition, record.offset());
            Exception error = attempts == 0 ? null : new IllegalStateException("its worker stopped " + attempts
                    + " time(s) without an outcome (killed or crashed)");
            Outcome outcome = Outcome.LEFT;
            while (running() && !stopping) {
                if (attempts >= options.maxAttempts() || error instanceof TimeLimitExceeded) {
                    LOG.error("giving up on {} after {} attempt(s)", record.key(), attempts, error);
                    outcome = giveUp(record, error) ? Outcome.DONE : Outcome.LEFT;
                    break;
                }
                attempts++;
                if (!commit(partition, new OffsetAndMetadata(record.offset(), ATTEMPTS + attempts))) {
                    return; // the partition moved to another member, which takes the record from here
                }
                long started = System.nanoTime();
                error = runJob(record);
                long ran = System.nanoTime() - started;
                if (error == null) {
                    attemptObserver.observe("done", ran);
                    outcome = Outcome.DONE;
                    break;
                }
                if (error instanceof HandedBack || stopping) {
                    attemptObserver.observe("handed_back", ran);
                    LOG.info("{} left without an outcome: {}", record.key(), error.getMessage());
                    attempts--;
                    outcome = Outcome.HANDED_BACK;
                    break;
                }
                attemptObserver.observe("failed", ran);
                if (attempts < options.maxAttempts() && !(error instanceof TimeLimitExceeded)) {
                    LOG.warn("attempt {} of {} failed, retrying: {}", attempts, record.key(), error.toString());
                    sleepPolling(options.firstBackoff().multipliedBy(1L << Math.min(attempts - 1, 5)));
                }
            }
            finish(partition, record, outcome, attempts);
        } finally {
            busy = null;
            consumer.resume(consumer.paused());
        }
    }

    private enum Outcome { DONE, HANDED_BACK, LEFT }

    /** Moves the offset past a finished record, or leaves it to be delivered again with its attempt count. */
    private void finish(TopicPartition partition, ConsumerRecord<String, byte[]> record, Outcome outcome, int attempts) {
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
                commit(partition, new OffsetAndMetadata(record.offset(), ATTEMPTS + attempts));
            }
            consumer.seek(partition, record.offset());
        } catch (RuntimeException e) {
            // Stopping: the committed offset already points at the record.
            LOG.debug("leaving {}: {}", record.key(), e.toString());
        }
    }

    /** Attempts already made on the record at {@code offset}, read from the committed metadata. */
    private int previousAttempts(TopicPartition partition, long offset) {
        OffsetAndMetadata committed = consumer.committed(Set.of(partition), Duration.ofSeconds(30)).get(partition);
        if (committed == null || committed.offset() != offset || !committed.metadata().startsWith(ATTEMPTS)) {
            return 0;
        }
        try {
            return Integer.parseInt(committed.metadata().substring(ATTEMPTS.length()));
        } catch (NumberFormatException e) {
            return 0;
        }
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

    /** Gives the record up, retrying until the handler's outcome is durable; false if stopped first. */
    private boolean giveUp(ConsumerRecord<String, byte[]> record, Exception error) {
        for (int attempt = 1; running() && !stopping; attempt++) {
            try {
                handler.giveUp(record, error);
                return true;
            } catch (Exception e) {
                LOG.warn("the failure of {} is not recorded yet ({}); retrying", record.key(), e.toString());
                sleepPolling(options.firstBackoff().multipliedBy(1L << Math.min(attempt, 6)));
            }
        }
        return false;
    }

    /**
     * Runs the handler on the job thread while this thread keeps polling (paused) to stay in the
     * group; interrupts it past the time limit. Returns the handler's failure, or null.
     */
    private Exception runJob(ConsumerRecord<String, byte[]> record) {
        Future<?> job = jobThread.submit(() -> {
            runningJob = Thread.currentThread();
            try {
                handler.handle(record);
            } finally {
                runningJob = null;
            }
            return null;
        });
        long deadline = System.nanoTime() + options.timeLimit().toNanos();
        boolean overTime = false;
        while (true) {
            try {
                job.get(200, TimeUnit.MILLISECONDS);
                return overTime ? new TimeLimitExceeded(options.timeLimit()) : null;
            } catch (TimeoutException stillRunning) {
                if (!overTime && System.nanoTime() > deadline) {
                    overTime = true;
                    LOG.warn("{} ran past the time limit of {}; interrupting it", record.key(), options.timeLimit());
                    Thread thread = runningJob;
                    if (thread != null) {
                        thread.interrupt();
                    }
                }
                keepMembership();
            } catch (ExecutionException e) {
                if (overTime) {
                    return new TimeLimitExceeded(options.timeLimit());
                }
                return e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
            } catch (InterruptedException e) {
                return e; // close(): the job thread is being stopped too
            }
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
     * Stops: the running job is interrupted and given a minute to wrap up (the train worker saves a
     * checkpoint) while this member still holds its partitions; its offset is not committed, so the
     * job goes to the next member, which resumes it.
     */
    @Override
    public void close() {
        stopping = true;
        jobThread.shutdownNow();
        try {
            if (!jobThread.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("the running job did not stop within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        super.close();
    }
}
