package org.ltxfleet.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads whole topics from the beginning (or from the positions a snapshot of the caller's state
 * was taken at), then follows them, in a background thread: for state that every process needs in
 * full (the gateway's projection, the workers' cancellations), so no consumer group and no
 * committed offsets. Ready once it has read everything that existed when it started. The record
 * callback runs on the reader's thread and must not throw for bad input; so does the optional
 * between-polls callback, which sees the positions that match the state the records built so far
 * (the moment to snapshot it). After a transient failure it resumes at the record after the last
 * one it handed on: nothing is read twice, nothing skipped.
 */
public final class TopicReplayer extends ConsumerLoop {

    /** How often the topics' partition counts are read again. */
    static final Duration PARTITION_CHECK = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(TopicReplayer.class);

    private final String clientId;
    private final List<String> topics;
    private final Consumer<ConsumerRecord<String, byte[]>> onRecord;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    /** The next offset to read per partition; only the loop's thread touches it. */
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    /** The end offsets at start-up: caught up once they are read. */
    private Map<TopicPartition, Long> ends;

    private final Consumer<Map<TopicPartition, Long>> betweenPolls;
    private volatile long recordsRead;

    /** Starts replaying {@code topics} from the beginning into {@code onRecord}. */
    public TopicReplayer(KafkaConnection kafka, String clientId, List<String> topics,
                         Consumer<ConsumerRecord<String, byte[]>> onRecord) {
        this(kafka, clientId, topics, Map.of(), onRecord, positions -> { });
    }

    /**
     * Starts replaying {@code topics} into {@code onRecord}: each partition in {@code from} at that
     * offset, the others from the beginning; {@code betweenPolls} runs after every poll with the
     * next offset to read in every partition, where the consumer stands after handing on what it polled.
     */
    public TopicReplayer(KafkaConnection kafka, String clientId, List<String> topics,
                         Map<TopicPartition, Long> from, Consumer<ConsumerRecord<String, byte[]>> onRecord,
                         Consumer<Map<TopicPartition, Long>> betweenPolls) {
        this(kafka.consumer(null, clientId), clientId, topics, from, onRecord, betweenPolls);
    }

    /**
     * As above, with the consumer's settings given: {@code kafka.consumer(null, clientId)} with
     * the caller's tuning (such as how long the broker may wait to fill a fetch).
     */
    public TopicReplayer(Properties consumerSettings, String clientId, List<String> topics,
                         Map<TopicPartition, Long> from, Consumer<ConsumerRecord<String, byte[]>> onRecord,
                         Consumer<Map<TopicPartition, Long>> betweenPolls) {
        super(consumerSettings, clientId);
        this.clientId = clientId;
        this.topics = List.copyOf(topics);
        this.onRecord = onRecord;
        this.betweenPolls = betweenPolls;
        positions.putAll(from);
        start();
    }

    /** Whether everything that existed at start-up has been read. */
    public boolean ready() {
        return caughtUp.getCount() == 0;
    }

    /** Waits until {@link #ready()}; returns false on timeout. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Records handed on since start; read it once {@link #ready()} to see what a start-up cost. */
    public long recordsRead() {
        return recordsRead;
    }

    @Override
    protected void loop() {
        List<TopicPartition> partitions = partitions();
        assign(partitions);
        if (ends == null) {
            ends = consumer.endOffsets(partitions);
        }
        long nextCheck = System.nanoTime() + PARTITION_CHECK.toNanos();
        while (running()) {
            for (ConsumerRecord<String, byte[]> record : poll(Duration.ofMillis(200))) {
                onRecord.accept(record);
                positions.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                recordsRead++;
            }
            // The consumer's own positions also step over transaction markers and aborted records.
            for (TopicPartition partition : partitions) {
                positions.put(partition, consumer.position(partition));
            }
            if (caughtUp.getCount() > 0 && reached(ends)) {
                caughtUp.countDown();
            }
            betweenPolls.accept(java.util.Collections.unmodifiableMap(positions));
            if (System.nanoTime() - nextCheck > 0) {
                nextCheck = System.nanoTime() + PARTITION_CHECK.toNanos();
                List<TopicPartition> now = partitions();
                if (!Set.copyOf(now).equals(Set.copyOf(partitions))) {
                    LOG.info("{}: partitions {} added; reading them from their first offset", clientId,
                            now.stream().filter(p -> !positions.containsKey(p)).toList());
                    partitions = now;
                    assign(partitions);
                }
            }
        }
    }

    /**
     * Reads {@code partitions}: each from where this replayer had got to (or the position it was
     * given), a partition it never read from the beginning. Partitions added to a topic after
     * start-up are found by {@link #PARTITION_CHECK}, as fast as the consumer's metadata refreshes
     * ({@code metadata.max.age.ms}, 5 minutes by default).
     */
    private void assign(List<TopicPartition> partitions) {
        consumer.assign(partitions);
        for (TopicPartition partition : partitions) {
            Long next = positions.get(partition);
            if (next == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, next);
            }
        }
    }

    private List<TopicPartition> partitions() {
        var result = new ArrayList<TopicPartition>();
        for (String topic : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist; create the fleet's topics first");
            }
            infos.forEach(i -> result.add(new TopicPartition(i.topic(), i.partition())));
        }
        return result;
    }

    private boolean reached(Map<TopicPartition, Long> ends) {
        for (var end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }
}
