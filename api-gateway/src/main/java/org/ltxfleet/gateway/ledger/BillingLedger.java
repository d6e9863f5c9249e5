package org.ltxfleet.gateway.ledger;

import org.ltxfleet.common.kafka.KafkaConnection;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.BillingRecord;
import org.ltxfleet.common.kafka.TopicReplayer;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.gateway.projection.JobPhase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Usage per API key, from {@code ltx.billing}. The topic is the durable ledger: this class replays
 * it in full at start-up (or from a snapshot: its charges, then the records after its positions) and counts each
 * request id once, whatever the producers redelivered.
 * A charge counts only while its job's first terminal event is not a failure or a cancellation
 * (status, webhook and usage agree on that one outcome): a charge for a job that ended otherwise
 * is never billed, and logged. The outcome is the projection's while it holds the job; when the
 * job leaves it for the archive, the ledger settles the charge ({@link #settle}) and remembers a
 * refusal itself (in its snapshot too). Thread-safe.
 */
public final class BillingLedger implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BillingLedger.class);

    private final Map<String, BillingRecord> charges = new ConcurrentHashMap<>();
    private final Set<String> refusedLogged = ConcurrentHashMap.newKeySet();
    /** Charges of jobs that ended otherwise than COMPLETED first, settled when their job left the projection. */
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final Function<String, Optional<JobPhase>> outcomes;
    private final TopicReplayer reader;

    /** Starts replaying the billing topic from the beginning; {@code outcomes} gives a job's first outcome. */
    public BillingLedger(KafkaConnection kafka, Function<String, Optional<JobPhase>> outcomes) {
        this(kafka, outcomes, List.of(), List.of(), Map.of(), positions -> { });
    }

    /**
     * Starts with the charges of a snapshot and replays the billing topic from its positions
     * ({@code from}; partitions absent from it from the beginning); {@code betweenPolls} sees the
     * positions the charges have been read to.
     */
    public BillingLedger(KafkaConnection kafka, Function<String, Optional<JobPhase>> outcomes,
                         List<BillingRecord> restored, List<String> restoredRefusals, Map<TopicPartition, Long> from,
                         java.util.function.Consumer<Map<TopicPartition, Long>> betweenPolls) {
        this.outcomes = outcomes;
        restored.forEach(charge -> charges.putIfAbsent(charge.requestId(), charge));
        refused.addAll(restoredRefusals);
        this.reader = new TopicReplayer(kafka, "gateway-ledger", List.of(Topics.BILLING), from,
                this::record, betweenPolls);
    }

    /** Every charge counted, for a snapshot (each is the first of its request id). */
    public List<BillingRecord> save() {
        return List.copyOf(charges.values());
    }

    /** The charges refused for good, for a snapshot. */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    /**
     * Settles the charge of a job that leaves the projection with {@code outcome}, its first end:
     * a charge of a job that did not complete first is refused for good, as it was while the
     * projection held the job.
     */
    public void settle(String requestId, JobPhase outcome) {
        if (outcome != JobPhase.COMPLETED && charges.containsKey(requestId)) {
            refused.add(requestId);
        }
    }

    /** Usage of one key for one UTC day. */
    public record DayUsage(LocalDate day, long jobs, long units, BigDecimal amountUsd) {
        DayUsage plus(BillingRecord charge) {
            return new DayUsage(day, jobs + 1, units + charge.units(), amountUsd.add(charge.amountUsd()));
        }
    }

    /** The key's charges with a time in [from, to), per UTC day, oldest first. */
    public List<DayUsage> usage(String keyId, Instant from, Instant to) {
        var days = new TreeMap<LocalDate, DayUsage>();
        for (BillingRecord charge : charges.values()) {
            if (keyId.equals(charge.keyId()) && !charge.time().isBefore(from) && charge.time().isBefore(to)
                    && billable(charge)) {
                LocalDate day = charge.time().atOffset(ZoneOffset.UTC).toLocalDate();
                days.merge(day, new DayUsage(day, 0, 0, BigDecimal.ZERO).plus(charge),
                        (a, b) -> a.plus(charge));
            }
        }
        return List.copyOf(days.values());
    }

    /** Units billed so far, every key and day together (one charge per completed job). */
    public long billedUnits() {
        return charges.values().stream().filter(this::billable).mapToLong(BillingRecord::units).sum();
    }

    /** False for a charge whose job ended by a failure or a cancellation first. */
    private boolean billable(BillingRecord charge) {
        if (refused.contains(charge.requestId())) {
            return false;
        }
        Optional<JobPhase> outcome = outcomes.apply(charge.requestId());
        if (outcome.isEmpty() || outcome.get() == JobPhase.COMPLETED) {
            return true;
        }
        if (refusedLogged.add(charge.requestId())) {
            LOG.warn("not billing {}: its job ended {} before the charge of {} units came", charge.requestId(),
                    outcome.get(), charge.units());
        }
        return false;
    }

    /** Whether the ledger has read every charge that existed at start-up. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return reader.awaitReady(timeout);
    }

    private void record(ConsumerRecord<String, byte[]> record) {
        try {
            BillingRecord charge = Json.fromBytes(record.value(), BillingRecord.class);
            if (charge.requestId() == null || charge.keyId() == null || charge.time() == null
                    || charge.amountUsd() == null) {
                LOG.warn("skipping incomplete billing record at {}-{}@{}", record.topic(), record.partition(),
                        record.offset());
                return;
            }
            // First charge per request id wins: redeliveries and duplicates never bill twice.
            charges.putIfAbsent(charge.requestId(), charge);
        } catch (UncheckedIOException e) {
            LOG.warn("skipping malformed billing record at {}-{}@{}", record.topic(), record.partition(),
                    record.offset());
        }
    }

    /** Records read since start. */
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
