package org.ltxfleet.gateway.projection;

import java.time.Instant;

/**
 * Where a job sits in its owner's list of requests: newest submission first, request id (ascending)
 * between jobs submitted at the same instant. A job keeps its position for life, so a list read page
 * by page from a position neither skips nor repeats a job as new ones arrive or old ones move from
 * the projection to the archive.
 *
 * @param createdAt when the job was submitted ({@link Instant#EPOCH} for a job whose message had none), from
 *                  {@link Instant#EPOCH} to {@link #LATEST} as job messages carry it
 */
public record ListPosition(Instant createdAt, String requestId) implements Comparable<ListPosition> {

    /** The latest instant a job message may carry (a four-digit year: {@code JobMessageCheck}). */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /** The position of a job submitted at {@code submittedAt} (null: unknown, listed last). */
    public static ListPosition of(Instant submittedAt, String requestId) {
        return new ListPosition(submittedAt == null ? Instant.EPOCH : submittedAt, requestId);
    }

    /** Newer first; between equal instants, request ids in ascending (ASCII) order. */
    @Override
    public int compareTo(ListPosition other) {
        int byTime = other.createdAt.compareTo(createdAt);
        return byTime != 0 ? byTime : requestId.compareTo(other.requestId);
    }
}
