package org.ltxfleet.gateway.snapshot;

import java.time.Instant;
import java.util.Map;

/**
 * A reader's state and the topic positions it was built from: restoring {@code state} and reading
 * on from {@code positions} gives what a replay from the beginning would. {@code positions} maps
 * "topic:partition" to the next offset to read; partitions absent from it are read from the start.
 * {@code clusterId} ties it to one Kafka cluster, whose offsets mean nothing to another.
 */
public record Snapshot<T>(int format, String clusterId, Instant takenAt, Map<String, Long> positions, T state) {

    /** The layout this code writes and reads; a snapshot of another is ignored (and replaced). */
    public static final int FORMAT = 1;
}
