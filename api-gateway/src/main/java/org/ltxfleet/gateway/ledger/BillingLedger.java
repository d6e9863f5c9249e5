package org.ltxfleet.gateway.ledger;

import org.ltxfleet.common.kafka.KafkaConnection;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * job leaves it for the archive the charge is settled ({@link #settle}) into its key's total for
 * its UTC day, or dropped, so the ledger's memory holds the recent charges and a total per key and
 * day ({@link ChargeBook}). Thread-safe.
 */
public final class BillingLedger implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BillingLedger.class);

    private final ChargeBook book;
    private final Set<String> refusedLogged = ConcurrentHashMap.newKeySet();
    private final Function<String, Optional<JobPhase>> outcomes;
    private final Function<String, Optional<JobPhase>> evictedOutcomes;
    private final TopicReplayer reader;

    /**
     * Starts replaying the billing topic from the beginning; {@code outcomes} gives a job's first
     * outcome while the projection holds it, {@code evictedOutcomes} that of a job it let go lately.
     */
    public BillingLedger(KafkaConnection kafka, Function<String, Optional<JobPhase>> outcomes,
                         Function<String, Optional<JobPhase>> evictedOutcomes, Duration rememberSettled) {
        this(kafka, outcomes, evictedOutcomes, rememberSettled, null, Map.of(), positions -> { });
    }

    /**
     * Starts with the book of a snapshot and replays the billing topic from its positions
     * ({@code from}; partitions absent from it from the beginning); {@code betweenPolls} sees the
     * positions the book has been read to. Settled request ids are remembered {@code rememberSettled}.
     */
    public BillingLedger(KafkaConnection kafka, Function<String, Optional<JobPhase>> outcomes,
                         Function<String, Optional<JobPhase>> evictedOutcomes, Duration rememberSettled,
                         Saved restored, Map<TopicPartition, Long> from,
                         java.util.function.Consumer<Map<TopicPartition, Long>> betweenPolls) {
        this.outcomes = outcomes;
        this.evictedOutcomes = evictedOutcomes;
        this.book = new ChargeBook(rememberSettled);
        if (restored != null) {
            book.restore(restored.charges(), restored.totals(), restored.settled());
        }
        this.reader = new TopicReplayer(kafka, "gateway-ledger", List.of(Topics.BILLING), from,
                this::record, betweenPolls);
    }

    /** What a snapshot keeps of the ledger: open charges, settled totals per key and day, settled ids. */
    public record Saved(List<BillingRecord> charges, List<DayTotal> totals, Map<String, Instant> settled) {
    }

    /** The ledger as a snapshot keeps it. */
    public Saved save() {
        ChargeBook.Saved saved = book.save();
        return new Saved(saved.charges(), saved.totals(), saved.settled());
    }

    /**
     * Settles the charge of a job that leaves the projection with {@code outcome}, its first end:
     * billed into its day's total if the job completed first, never billed otherwise.
     */
    public void settle(String requestId, JobPhase outcome) {
        book.settle(requestId, outcome, Instant.now());
    }

    /** Usage of one key for one UTC day. */
    public record DayUsage(LocalDate day, long jobs, long units, BigDecimal amountUsd) {
    }

    /** One key's settled, billed jobs, units and amount on one UTC day. */
    public record DayTotal(String keyId, LocalDate day, long jobs, long units, BigDecimal amountUsd) {
        DayTotal plus(long moreJobs, long moreUnits, BigDecimal more) {
            return new DayTotal(keyId, day, jobs + moreJobs, units + moreUnits, amountUsd.add(more));
        }
    }

    /**
     * The key's billed usage per UTC day in [from, to), oldest first: recent charges by their
     * time, settled ones as their day's total (a day that overlaps the range counts whole).
     */
    public List<DayUsage> usage(String keyId, Instant from, Instant to) {
        return book.usage(keyId, from, to, this::billable);
    }

    /**
     * The units billed for a job the projection still holds: its charge, unless its job ended by a
     * failure or a cancellation first; empty when no charge was read (yet) or it was settled.
     */
    public Optional<Long> units(String requestId) {
        BillingRecord charge = book.open(requestId);
        return charge != null && billable(charge) ? Optional.of(charge.units()) : Optional.empty();
    }

    /** Units billed so far, every key and day together (one charge per completed job). */
    public long billedUnits() {
        return book.billedUnits(this::billable);
    }

    /** False for a charge whose job ended by a failure or a cancellation first. */
    private boolean billable(BillingRecord charge) {
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
            if (book.add(charge)) {
                // A charge read after its job left the projection (a replay) is settled at once.
                evictedOutcomes.apply(charge.requestId()).ifPresent(outcome -> settle(charge.requestId(), outcome));
            }
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
