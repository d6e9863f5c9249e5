package org.ltxfleet.gateway.webhook;

import org.ltxfleet.common.kafka.KafkaConnection;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.ltxfleet.common.event.JobEvent;
import org.ltxfleet.common.kafka.ConsumerLoop;
import org.ltxfleet.common.kafka.Records;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.common.kafka.WebhookDelivery;
import org.ltxfleet.gateway.projection.JobProjection;
import org.ltxfleet.gateway.projection.JobSnapshot;
import org.ltxfleet.gateway.storage.OutputLinks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each job's end into one webhook delivery on {@code ltx.webhooks}. A consumer group on
 * {@code ltx.events} shares the work between gateways, so each end is dispatched by one of them;
 * the deliveries of a batch and the offsets read so far commit in one Kafka transaction, so a gateway
 * that dies or loses its partitions mid-batch leaves nothing behind and the batch is dispatched
 * once, by whoever owns it next (the delivery worker reads committed records only). The delivery
 * id is derived from the request id: the same for every attempt.
 */
public final class WebhookDispatcher extends ConsumerLoop {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    static final String GROUP = "ltx-webhook-dispatch";
    /** How long offsets of events that end no job with a webhook may wait for a transaction to carry them. */
    private static final Duration OFFSETS_AT_MOST_EVERY = Duration.ofSeconds(5);

    private final JobProjection projection;
    private final OutputLinks links;
    private final KafkaConnection kafka;
    private final String instance = UUID.randomUUID().toString();

    /** Starts dispatching in a background thread. */
    public WebhookDispatcher(KafkaConnection kafka, JobProjection projection, OutputLinks links) {
        super(kafka.consumer(GROUP, "webhook-dispatch"), "webhook-dispatch");
        this.projection = projection;
        this.links = links;
        this.kafka = kafka;
        start();
    }

    /** The delivery id of a job's webhook: the same for every attempt and every re-dispatch. */
    public static String deliveryId(String requestId) {
        return UUID.nameUUIDFromBytes(("webhook:" + requestId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** A new delivery of the job's webhook, due now, its output links signed now. */
    public static WebhookDelivery newDelivery(JobSnapshot job, OutputLinks links) {
        Instant now = Instant.now();
        return new WebhookDelivery(1, deliveryId(job.requestId()), job.requestId(), job.keyId(), job.webhookUrl(),
                WebhookBody.of(job, links), 0, now, now);
    }

    @Override
    protected void loop() throws Exception {
        var pending = new PendingOffsets();
        consumer.subscribe(List.of(Topics.EVENTS), pending);
        // A producer per run of the loop: after a failure the supervisor resumes from the committed
        // offsets with a new consumer, and a fenced or failed transactional producer is not reusable.
        try (var producer = new KafkaProducer<String, byte[]>(
                kafka.transactionalProducer("webhook-dispatch", instance))) {
            producer.initTransactions();
            while (running()) {
                ConsumerRecords<String, byte[]> records = poll(Duration.ofMillis(500));
                var deliveries = new ArrayList<WebhookDelivery>();
                for (ConsumerRecord<String, byte[]> record : records) {
                    dispatch(record).ifPresent(deliveries::add);
                }
                pending.add(records.nextOffsets());
                if (!deliveries.isEmpty() || pending.olderThan(OFFSETS_AT_MOST_EVERY)) {
                    commit(producer, deliveries, pending.take());
                }
            }
        }
    }

    /** Writes the deliveries and moves the offsets past them, atomically. */
    private void commit(KafkaProducer<String, byte[]> producer, List<WebhookDelivery> deliveries,
                        Map<TopicPartition, OffsetAndMetadata> offsets) {
        producer.beginTransaction();
        try {
            deliveries.forEach(d -> producer.send(Records.webhook(Topics.WEBHOOKS, d)));
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
        } catch (RuntimeException e) {
            try {
                producer.abortTransaction();
            } catch (RuntimeException aborting) {
                LOG.debug("aborting the dispatch transaction: {}", aborting.toString());
            }
            throw e; // the supervisor resumes from the committed offsets
        }
    }

    /**
     * Offsets read past but not committed yet. Most events end no job, and a transaction per poll
     * for them cost the broker more than the jobs' own records (commits, markers, coordinator
     * work); they ride along with the next delivery's transaction instead, or go on their own once
     * they are this old. Events read again after a crash produce nothing, so this loses nothing.
     * A revoked partition's offsets are dropped: its next owner reads those events again.
     */
    private static final class PendingOffsets implements ConsumerRebalanceListener {

        private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        private long oldestNanos;

        void add(Map<TopicPartition, OffsetAndMetadata> next) {
            if (offsets.isEmpty() && !next.isEmpty()) {
                oldestNanos = System.nanoTime();
            }
            offsets.putAll(next);
        }

        boolean olderThan(Duration age) {
            return !offsets.isEmpty() && System.nanoTime() - oldestNanos > age.toNanos();
        }

        Map<TopicPartition, OffsetAndMetadata> take() {
            var taken = Map.copyOf(offsets);
            offsets.clear();
            return taken;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(offsets::remove);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(offsets::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    }

    private Optional<WebhookDelivery> dispatch(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        JobEvent event;
        try {
            event = Records.readEvent(record);
        } catch (UncheckedIOException e) {
            return Optional.empty();
        }
        if (event.type() == null || !event.type().terminal()) {
            return Optional.empty();
        }
        Optional<JobSnapshot> job = awaitEnded(event);
        if (job.isEmpty() || job.get().webhookUrl() == null || !event.eventId().equals(job.get().terminalEventId())) {
            // No webhook asked for, or a late duplicate end (the first end is the job's end).
            return Optional.empty();
        }
        return Optional.of(newDelivery(job.get(), links));
    }

    /**
     * This consumer may be ahead of the projection (both read {@code ltx.events}, each at its own
     * pace): wait for it to see the end, however long that takes; the offset is not committed
     * meanwhile, so a gateway stopped while waiting leaves the event to the next one.
     */
    private Optional<JobSnapshot> awaitEnded(JobEvent event) throws InterruptedException {
        long started = System.nanoTime();
        long warnAt = started + TimeUnit.SECONDS.toNanos(10);
        while (running()) {
            Optional<JobSnapshot> job = projection.find(event.requestId(), event.keyId());
            if (job.isPresent() && job.get().phase().terminal()) {
                return job;
            }
            if (System.nanoTime() > warnAt) {
                LOG.warn("job {} ended {} s ago by the event log, but the projection has not seen it yet; waiting",
                        event.requestId(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
                warnAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            }
            Thread.sleep(50);
        }
        throw new InterruptedException("stopping before the projection saw the end of " + event.requestId());
    }
}
