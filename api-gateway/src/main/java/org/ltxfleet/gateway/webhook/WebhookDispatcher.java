package org.ltxfleet.gateway.webhook;

import org.ltxfleet.common.kafka.KafkaConnection;
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
import java.util.concurrent.atomic.AtomicLong;
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
    /**
     * How long an end may wait for the projection to see it (a gateway replaying a long history
     * catches up in minutes); past it the end is given up, logged and counted, and its partition goes on.
     */
    public static final Duration WAIT_LIMIT = Duration.ofMinutes(15);

    private final JobProjection projection;
    private final OutputLinks links;
    private final KafkaConnection kafka;
    private final String instance = UUID.randomUUID().toString();
    private final Duration waitLimit;
    private final AtomicLong givenUp = new AtomicLong();
    /** Per partition, the end event it is paused at until the projection sees that end; loop thread only. */
    private final Map<TopicPartition, Waiting> waiting = new HashMap<>();

    /** Starts dispatching in a background thread. */
    public WebhookDispatcher(KafkaConnection kafka, JobProjection projection, OutputLinks links) {
        this(kafka, projection, links, WAIT_LIMIT);
    }

    /** Starts dispatching; an end the projection has not seen after {@code waitLimit} is given up. */
    public WebhookDispatcher(KafkaConnection kafka, JobProjection projection, OutputLinks links, Duration waitLimit) {
        super(kafka.consumer(GROUP, "webhook-dispatch"), "webhook-dispatch");
        this.projection = projection;
        this.links = links;
        this.kafka = kafka;
        this.waitLimit = waitLimit;
        start();
    }

    /** Ends given up on since start: the projection never saw them within the wait limit. */
    public long givenUp() {
        return givenUp.get();
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
        waiting.clear();
        var pending = new PendingOffsets(waiting);
        consumer.subscribe(List.of(Topics.EVENTS), pending);
        // A producer per run of the loop: after a failure the supervisor resumes from the committed
        // offsets with a new consumer, and a fenced or failed transactional producer is not reusable.
        try (var producer = new KafkaProducer<String, byte[]>(
                kafka.transactionalProducer("webhook-dispatch", instance))) {
            producer.initTransactions();
            while (running()) {
                resumeWhereTheProjectionCaughtUp();
                ConsumerRecords<String, byte[]> records = poll(Duration.ofMillis(500));
                var deliveries = new ArrayList<WebhookDelivery>();
                var handled = new HashMap<TopicPartition, OffsetAndMetadata>();
                for (TopicPartition partition : records.partitions()) {
                    for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                        Outcome outcome = dispatch(partition, record);
                        if (outcome.waitFor() != null) {
                            waitAt(partition, record, outcome.waitFor());
                            break;
                        }
                        if (outcome.delivery() != null) {
                            deliveries.add(outcome.delivery());
                        }
                        handled.put(partition, new OffsetAndMetadata(record.offset() + 1));
                    }
                }
                pending.add(handled);
                if (!deliveries.isEmpty() || pending.olderThan(OFFSETS_AT_MOST_EVERY)) {
                    commit(producer, deliveries, pending.take());
                }
            }
        }
    }

    /** An end the projection has not seen yet, and since when its partition waits for it. */
    private record Waiting(long offset, JobEvent end, long sinceNanos, boolean givenUp) {
    }

    /** What a record asks for: a delivery, nothing (both null), or to wait for the projection to see an end. */
    private record Outcome(WebhookDelivery delivery, JobEvent waitFor) {
        static final Outcome NOTHING = new Outcome(null, null);
    }

    /**
     * Pauses the partition at this end and reads it again once the projection has seen it: the
     * consumer keeps polling meanwhile (no eviction for a silent member), other partitions go on,
     * and nothing past the end is committed.
     */
    private void waitAt(TopicPartition partition, ConsumerRecord<String, byte[]> record, JobEvent end) {
        Waiting earlier = waiting.get(partition);
        if (earlier == null || earlier.offset() != record.offset()) {
            waiting.put(partition, new Waiting(record.offset(), end, System.nanoTime(), false));
        }
        consumer.seek(partition, record.offset());
        consumer.pause(List.of(partition));
    }

    /** Resumes each waiting partition whose end the projection now has, or that waited past the limit. */
    private void resumeWhereTheProjectionCaughtUp() {
        for (var entry : List.copyOf(waiting.entrySet())) {
            Waiting wait = entry.getValue();
            if (wait.givenUp()) {
                continue;
            }
            boolean seen = !waitsForProjection(wait.end());
            long waitedNanos = System.nanoTime() - wait.sinceNanos();
            if (!seen && waitedNanos > waitLimit.toNanos()) {
                givenUp.incrementAndGet();
                String id = wait.end().requestId();
                LOG.error("giving up the webhook of job {}: its end is in the event log, but the projection has not "
                        + "seen it in {} s; redeliver it with POST …/requests/{}/webhooks/redeliver once it has", id,
                        TimeUnit.NANOSECONDS.toSeconds(waitedNanos), id);
                waiting.put(entry.getKey(), new Waiting(wait.offset(), wait.end(), wait.sinceNanos(), true));
            } else if (!seen) {
                continue;
            }
            consumer.resume(List.of(entry.getKey()));
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
        private final Map<TopicPartition, ?> waiting;
        private long oldestNanos;

        /** {@code waiting}: the dispatcher's waits, dropped with their partitions (the next owner waits anew). */
        PendingOffsets(Map<TopicPartition, ?> waiting) {
            this.waiting = waiting;
        }

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
            partitions.forEach(waiting::remove);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    }

    /** What a record of ltx.events asks of the dispatcher. */
    private Outcome dispatch(TopicPartition partition, ConsumerRecord<String, byte[]> record) {
        Waiting wait = waiting.get(partition);
        if (wait != null && wait.offset() == record.offset()) {
            waiting.remove(partition);
            if (wait.givenUp()) {
                return Outcome.NOTHING;
            }
        }
        JobEvent end;
        try {
            end = Records.readEvent(record);
        } catch (RuntimeException e) {
            return Outcome.NOTHING;
        }
        if (end.type() == null || !end.type().terminal() || end.requestId() == null || end.keyId() == null) {
            return Outcome.NOTHING;
        }
        if (waitsForProjection(end)) {
            return new Outcome(null, end);
        }
        Optional<JobSnapshot> job = projection.find(end.requestId(), end.keyId());
        if (job.isEmpty() || job.get().webhookUrl() == null || !end.eventId().equals(job.get().terminalEventId())) {
            // Another key's event under the job's id, no webhook asked for, or a late duplicate end.
            return Outcome.NOTHING;
        }
        return new Outcome(newDelivery(job.get(), links), null);
    }

    /**
     * Whether the projection has yet to see this end: this consumer may be ahead of it (each reads
     * ltx.events at its own pace). An end written under another key than the job's is not the job's,
     * and waits for nothing.
     */
    private boolean waitsForProjection(JobEvent end) {
        Optional<String> owner = projection.owner(end.requestId());
        if (owner.isPresent() && !owner.get().equals(end.keyId())) {
            return false;
        }
        return projection.find(end.requestId(), end.keyId()).map(job -> !job.phase().terminal()).orElse(true);
    }
}
