package org.ltxfleet.gateway.projection;

import org.ltxfleet.common.kafka.KafkaConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.ltxfleet.common.kafka.JobMessage;
import org.ltxfleet.common.kafka.JobMessageCheck;
import org.ltxfleet.common.kafka.Records;
import org.ltxfleet.common.kafka.TopicReplayer;
import org.ltxfleet.common.kafka.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the {@link JobProjection} from the job topics and {@code ltx.events}: from the beginning,
 * or from the positions of the snapshot the projection was restored from. Every instance reads
 * the whole history (through its snapshot): the gateway keeps no state of its own.
 */
public final class ProjectionConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionConsumer.class);
    private static final String CLIENT_ID = "gateway-projection";
    static final int FETCH_MIN_BYTES = 64 * 1024;
    static final int FETCH_MAX_WAIT_MS = 20;

    private final JobProjection projection;
    private final AtomicLong skipped = new AtomicLong();
    private final OwnRecords own = new OwnRecords();
    private final TopicReplayer reader;

    /** Starts reading from the beginning in a background thread. */
    public ProjectionConsumer(KafkaConnection kafka, JobProjection projection) {
        this(kafka, projection, Map.of(), positions -> { });
    }

    /**
     * Starts reading in a background thread at {@code from} (partitions absent from it at the
     * beginning); {@code betweenPolls} sees the positions the projection has been built to.
     */
    public ProjectionConsumer(KafkaConnection kafka, JobProjection projection, Map<TopicPartition, Long> from,
                              Consumer<Map<TopicPartition, Long>> betweenPolls) {
        this.projection = projection;
        this.reader = new TopicReplayer(consumerSettings(kafka), CLIENT_ID, topics(), from, this::apply,
                positions -> {
                    own.forgetBelow(positions);
                    betweenPolls.accept(positions);
                });
    }

    /**
     * This gateway wrote a job at {@code offset} of {@code partition} and has recorded it in the
     * projection: reading it back would change nothing, so it is passed over.
     */
    public void recordedHere(TopicPartition partition, long offset) {
        own.add(partition, offset);
    }

    /**
     * The projection's consumer: the broker holds a fetch until {@value #FETCH_MIN_BYTES} bytes are
     * there or {@value #FETCH_MAX_WAIT_MS} ms have passed. Fetching from the first byte on made
     * the broker answer a fetch per submit or two, which cost it more CPU than the submits' own
     * produce requests ({@code ./fleet bench gateway}). The wait delays the status, streams and
     * webhooks of jobs another gateway or a worker wrote by at most {@value #FETCH_MAX_WAIT_MS} ms,
     * and an {@code Idempotency-Key} submit's answer as much (it waits for its record to be read
     * back); this gateway's own new jobs are recorded on their acknowledgement, without a read-back.
     * An operator's {@code kafka.consumer.*} settings for these properties win.
     */
    static Properties consumerSettings(KafkaConnection kafka) {
        Properties props = kafka.consumer(null, CLIENT_ID);
        props.putIfAbsent(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(FETCH_MIN_BYTES));
        props.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Integer.toString(FETCH_MAX_WAIT_MS));
        return props;
    }

    /** The topics the projection is built from. */
    public static List<String> topics() {
        return Stream.concat(Topics.jobTopics().stream(), Stream.of(Topics.EVENTS)).toList();
    }

    /** Whether the projection has read everything that existed when the gateway started. */
    public boolean ready() {
        return reader.ready();
    }

    /** Waits until {@link #ready()}; returns false on timeout. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        boolean ready = reader.awaitReady(timeout);
        if (ready) {
            LOG.info("projection caught up: {} jobs, {} records read", projection.size(), reader.recordsRead());
        }
        return ready;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        try {
            if (Topics.jobTopics().contains(record.topic())) {
                if (!own.take(new TopicPartition(record.topic(), record.partition()), record.offset())) {
                    submitted(record);
                }
            } else {
                projection.apply(Records.readEvent(record), record.partition(), record.offset());
            }
        } catch (RuntimeException e) {
            // A record from a user's own producer that cannot be applied must not stop the projection.
            skip(record, e.getMessage());
        }
    }

    /**
     * Records a job as its message allows: a message with hostile fields is kept without them (its
     * worker fails it with 422 naming them); one without a sound identity, or unreadable, is not a
     * submission here (a failure event, if its worker writes one, still shows the job).
     */
    private void submitted(ConsumerRecord<String, byte[]> record) {
        JobMessageCheck.Checked checked = JobMessageCheck.read(record.value());
        JobMessage job = checked.withoutProblems();
        if (checked.skip() != null || job == null) {
            skip(record, checked.skip() != null ? checked.skip() : "unreadable fields " + checked.problems());
            return;
        }
        projection.submitted(job.onTopic(record.topic()), Lane.of(record.topic()));
    }

    private void skip(ConsumerRecord<String, byte[]> record, String why) {
        skipped.incrementAndGet();
        LOG.warn("skipping record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), why);
    }

    /** Records that could not be applied and were skipped since start. */
    public long recordsSkipped() {
        return skipped.get();
    }

    /** Records read since start: what the start-up replay cost once {@link #ready()}. */
    public long recordsRead() {
        return reader.recordsRead();
    }

    /** The health of the reader's loop. */
    public org.ltxfleet.common.kafka.LoopHealth health() {
        return reader.health();
    }

    @Override
    public void close() {
        reader.close();
    }
}
