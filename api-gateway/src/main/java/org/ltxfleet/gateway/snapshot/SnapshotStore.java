package org.ltxfleet.gateway.snapshot;

import com.fasterxml.jackson.databind.JavaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.common.TopicPartition;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.s3.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots of the gateway's replayed state in the object store, one object per reader under
 * {@code gateway/snapshots/}, gzipped JSON. Any gateway may write one (they all read the same
 * topics, so each snapshot is as good as another's) and every starting gateway loads the last one.
 * A snapshot that does not fit the cluster it finds (another cluster id, a position past a
 * partition's end, a partition that is gone, another format, unreadable) is ignored with a warning:
 * the gateway then replays from the beginning, as it would without one.
 */
public final class SnapshotStore {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
    /** Where the snapshots live in the bucket; a lifecycle rule must not expire this prefix. */
    public static final String PREFIX = "gateway/snapshots/";

    private final ObjectStore store;
    private final KafkaLog log;

    /** Snapshots in {@code store} of the topics of the cluster {@code log} describes. */
    public SnapshotStore(ObjectStore store, KafkaLog log) {
        this.store = store;
        this.log = log;
    }

    /** The object key of a reader's snapshot. */
    public static String key(String reader) {
        return PREFIX + reader + ".json.gz";
    }

    /** The last snapshot of {@code reader} if there is one that fits the cluster as it is now. */
    public <T> Optional<Snapshot<T>> load(String reader, Class<T> stateType) {
        String key = key(reader);
        Snapshot<T> snapshot;
        try {
            if (!store.exists(key)) {
                return Optional.empty();
            }
            JavaType type = Json.mapper().getTypeFactory().constructParametricType(Snapshot.class, stateType);
            try (InputStream in = new GZIPInputStream(store.stream(key))) {
                snapshot = Json.mapper().readValue(in, type);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring the {} snapshot {}: cannot read it ({}); replaying from the beginning", reader, key,
                    e.toString());
            return Optional.empty();
        }
        Optional<String> unfit = log.misfit(snapshot);
        if (unfit.isPresent()) {
            LOG.warn("ignoring the {} snapshot of {}: {}; replaying from the beginning", reader, snapshot.takenAt(),
                    unfit.get());
            return Optional.empty();
        }
        return Optional.of(snapshot);
    }

    /** Writes {@code state}, built from the records before {@code positions}, as {@code reader}'s snapshot. */
    public <T> void save(String reader, Map<TopicPartition, Long> positions, T state) throws IOException {
        var named = new HashMap<String, Long>();
        positions.forEach((partition, next) -> named.put(name(partition), next));
        var snapshot = new Snapshot<>(Snapshot.FORMAT, log.clusterId(), Instant.now(), named, state);
        // Through a scratch file: the state may be larger than is wise to hold twice in memory.
        Path scratch = Files.createTempFile("gateway-snapshot-", ".json.gz");
        try {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(scratch), 1 << 16)) {
                Json.mapper().writeValue(out, snapshot);
            }
            store.put(key(reader), scratch, "application/gzip");
        } finally {
            Files.deleteIfExists(scratch);
        }
    }

    /** "topic:partition", the way a snapshot names a partition. */
    static String name(TopicPartition partition) {
        return partition.topic() + ":" + partition.partition();
    }

    /** The partition a snapshot's name stands for. */
    static TopicPartition partition(String name) {
        int colon = name.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not a topic:partition name: " + name);
        }
        return new TopicPartition(name.substring(0, colon), Integer.parseInt(name.substring(colon + 1)));
    }

    /** A snapshot's positions as the replayer takes them. */
    public static Map<TopicPartition, Long> positions(Snapshot<?> snapshot) {
        var positions = new HashMap<TopicPartition, Long>();
        snapshot.positions().forEach((name, next) -> positions.put(partition(name), next));
        return positions;
    }
}
