package org.ltxfleet.gateway.snapshot;

import org.ltxfleet.common.kafka.KafkaConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.ltxfleet.common.kafka.BillingRecord;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.common.s3.ObjectStore;
import org.ltxfleet.gateway.ledger.BillingLedger;
import org.ltxfleet.gateway.projection.JobPhase;
import org.ltxfleet.gateway.projection.JobProjection;
import org.ltxfleet.gateway.projection.ProjectionConsumer;
import org.ltxfleet.gateway.projection.SavedJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the gateway's two replayed readers, the job projection and the billing ledger, from their
 * last snapshots where those fit the cluster, and has them write new ones every interval. So a
 * start costs the snapshot's download plus the records after it, not the topics' whole history.
 * With a zero interval (or a cluster that cannot be described at start) both replay from the
 * beginning and nothing is written.
 */
public final class GatewaySnapshots implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewaySnapshots.class);
    static final String PROJECTION = "projection";
    static final String LEDGER = "ledger";

    /** The projection as a snapshot holds it. */
    public record ProjectionState(List<SavedJob> jobs) {
    }

    /** The ledger as a snapshot holds it. */
    public record LedgerState(List<BillingRecord> charges, List<BillingLedger.DayTotal> totals,
                              Map<String, java.time.Instant> settled) {
    }

    private final KafkaConnection kafka;
    private final Optional<SnapshotStore> store;
    private final Duration interval;
    private final List<AutoCloseable> writers = new ArrayList<>();

    private GatewaySnapshots(KafkaConnection kafka, Optional<SnapshotStore> store, Duration interval) {
        this.kafka = kafka;
        this.store = store;
        this.interval = interval;
    }

    /** Snapshots in {@code objects} every {@code interval}; off when it is zero. */
    public static GatewaySnapshots open(KafkaConnection kafka, ObjectStore objects, Duration interval) {
        if (interval.isZero()) {
            return new GatewaySnapshots(kafka, Optional.empty(), interval);
        }
        var topics = Stream.concat(ProjectionConsumer.topics().stream(), Stream.of(Topics.BILLING)).toList();
        Optional<SnapshotStore> store = KafkaLog.describe(kafka, topics, Duration.ofSeconds(10))
                .map(log -> new SnapshotStore(objects, log));
        return new GatewaySnapshots(kafka, store, interval);
    }

    /** Restores {@code projection} from its snapshot (if one fits) and starts its reader after it. */
    public ProjectionConsumer projection(JobProjection projection) {
        Map<TopicPartition, Long> from = Map.of();
        Optional<Snapshot<ProjectionState>> snapshot = store.flatMap(s -> s.load(PROJECTION, ProjectionState.class));
        if (snapshot.isPresent()) {
            projection.restore(snapshot.get().state().jobs());
            from = SnapshotStore.positions(snapshot.get());
            LOG.info("restored {} jobs from the projection snapshot of {}", projection.size(), snapshot.get().takenAt());
        }
        return new ProjectionConsumer(kafka, projection, from,
                writer(PROJECTION, () -> new ProjectionState(projection.save())));
    }

    /**
     * The billing ledger, started from its snapshot if one fits; {@code outcomes} and
     * {@code evictedOutcomes} as {@link BillingLedger} takes them, settled ids remembered {@code remember}.
     */
    public BillingLedger ledger(Function<String, Optional<JobPhase>> outcomes,
                                Function<String, Optional<JobPhase>> evictedOutcomes, Duration remember) {
        Optional<Snapshot<LedgerState>> snapshot = store.flatMap(s -> s.load(LEDGER, LedgerState.class));
        BillingLedger.Saved restored = snapshot.map(s -> new BillingLedger.Saved(s.state().charges(),
                s.state().totals(), s.state().settled())).orElse(null);
        snapshot.ifPresent(s -> LOG.info("restored {} open charges and {} day totals from the ledger snapshot of {}",
                s.state().charges() == null ? 0 : s.state().charges().size(),
                s.state().totals() == null ? 0 : s.state().totals().size(), s.takenAt()));
        // The ledger's reader starts in its constructor: until that returns there is nothing to save.
        var started = new java.util.concurrent.atomic.AtomicReference<BillingLedger>();
        started.set(new BillingLedger(kafka, outcomes, evictedOutcomes, remember, restored,
                snapshot.map(SnapshotStore::positions).orElse(Map.of()),
                writer(LEDGER, () -> {
                    BillingLedger.Saved saved = java.util.Objects.requireNonNull(started.get(),
                            "the ledger is still starting").save();
                    return new LedgerState(saved.charges(), saved.totals(), saved.settled());
                })));
        return started.get();
    }

    private <T> java.util.function.Consumer<Map<TopicPartition, Long>> writer(String reader,
                                                                               java.util.function.Supplier<T> state) {
        if (store.isEmpty()) {
            return positions -> { };
        }
        var periodic = new PeriodicSnapshots<>(reader, interval, state, store.get());
        writers.add(periodic);
        return periodic;
    }

    @Override
    public void close() {
        for (AutoCloseable writer : writers) {
            try {
                writer.close();
            } catch (Exception e) {
                LOG.debug("closing a snapshot writer", e);
            }
        }
    }
}
