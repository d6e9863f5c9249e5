package org.ltxfleet.common.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer-group member that runs one job at a time and commits its offset only after the
 * handler returned, that is after the job's outcome is durable: a worker killed mid-job leaves
 * the job to the next member. While a job runs the partitions are paused and the loop keeps
 * polling, so the member stays in the group however long the job takes.
 *
 * <p>A handler that throws is retried from the same offset with backoff; after
 * {@code maxAttempts} the record goes to {@link Handler#giveUp}, which must end the job visibly.
 *
 * <p>Topics are given in priority order: while an earlier topic has records waiting, the later
 * ones are paused, so a low-priority job never starts ahead of a waiting normal one.
 */
public final class StageConsumer extends ConsumerLoop {

    /** What a stage does with one record. */
    public interface Handler {
        /** Processes the record; returns only when its outcome is durable. */
        void handle(ConsumerRecord<String, byte[]> record) throws Exception;

        /** Ends a record that failed every attempt, for example with a FAILED event. */
        void giveUp(ConsumerRecord<String, byte[]> record, Exception lastError);
    }

    private static final Logger LOG = LoggerFactory.getLogger(StageConsumer.class);

    private final List<String> topics;
    private final Handler handler;
    private final int maxAttempts;
    private final ExecutorService jobThread;
    private volatile boolean stopping;

    /** Joins {@code groupId} on {@code topics} (highest priority first) and consumes in a background thread. */
    public StageConsumer(String bootstrapServers, List<String> topics, String groupId, String clientId,
                         Handler handler, int maxAttempts) {
        super(oneRecordAtATime(KafkaSettings.consumer(bootstrapServers, groupId, clientId)), clientId + "-poll");
        this.topics = List.copyOf(topics);
        this.handler = handler;
        this.maxAttempts = maxAttempts;
        this.jobThread = Executors.newSingleThreadExecutor(Thread.ofPlatform().name(clientId + "-job").factory());
        start();
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
                applyPriorities();
            }
        });
        while (running()) {
            applyPriorities();
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                process(record);
                // One job per poll: priorities are checked again before the next one.
                break;
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

    private void process(ConsumerRecord<String, byte[]> record) {
        var partition = new TopicPartition(record.topic(), record.partition());
        consumer.pause(consumer.assignment());
        try {
            for (int attempt = 1; running() && !stopping; attempt++) {
                Exception error = runJob(record);
                if (error == null || stopping) {
                    break;
                }
                if (attempt >= maxAttempts) {
                    LOG.error("giving up on {} after {} attempts", record.key(), attempt, error);
                    handler.giveUp(record, error);
                    break;
                }
                LOG.warn("attempt {} of {} failed, retrying: {}", attempt, record.key(), error.toString());
                sleepPolling(Duration.ofSeconds(1L << Math.min(attempt, 5)));
            }
            if (running() && !stopping) {
                consumer.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
            }
        } finally {
            consumer.resume(consumer.paused());
        }
    }

    /** Runs the handler on the job thread while this thread keeps polling (paused) to stay in the group. */
    private Exception runJob(ConsumerRecord<String, byte[]> record) {
        Future<?> job = jobThread.submit(() -> {
            handler.handle(record);
            return null;
        });
        while (true) {
            try {
                job.get(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                return null;
            } catch (java.util.concurrent.TimeoutException stillRunning) {
                consumer.poll(Duration.ZERO);
            } catch (java.util.concurrent.ExecutionException e) {
                return e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return e;
            }
        }
    }

    private void sleepPolling(Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        while (running() && System.nanoTime() < until) {
            consumer.poll(Duration.ofMillis(200));
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
            if (!jobThread.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("the running job did not stop within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        super.close();
    }
}
