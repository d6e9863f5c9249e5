package org.ltxfleet.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads whole topics from the beginning, then follows them, in a background thread: for state
 * that every process needs in full (the gateway's projection, the workers' cancellations), so no
 * consumer group and no committed offsets. Ready once it has read everything that existed when it
 * started. The record callback runs on the reader's thread and must not throw for bad input.
 */
public final class TopicReplayer extends ConsumerLoop {

    private final List<String> topics;
    private final Consumer<ConsumerRecord<String, byte[]>> onRecord;
    private final CountDownLatch caughtUp = new CountDownLatch(1);

    /** Starts replaying {@code topics} into {@code onRecord}. */
    public TopicReplayer(String bootstrapServers, String clientId, List<String> topics,
                         Consumer<ConsumerRecord<String, byte[]>> onRecord) {
        super(KafkaSettings.consumer(bootstrapServers, null, clientId), clientId);
        this.topics = List.copyOf(topics);
        this.onRecord = onRecord;
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

    @Override
    protected void loop() {
        List<TopicPartition> partitions = partitions();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        while (running()) {
            consumer.poll(Duration.ofMillis(200)).forEach(onRecord);
            if (caughtUp.getCount() > 0 && reached(ends)) {
                caughtUp.countDown();
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
