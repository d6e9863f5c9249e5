package org.ltxfleet.gateway.storage;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The upload bodies one gateway process is receiving: at most one per upload URL (or per part of
 * a multipart upload), and per API key at most {@code gateway.upload.scratch.max.bytes} of
 * declared sizes on scratch disk. One instance per Vert.x instance, shared by every event loop's
 * {@link UploadHandler} (found through {@link #of}). Thread-safe. Per process: with N gateways a
 * key may hold N times the scratch budget, as with the rate limits.
 */
final class UploadSlots implements Shareable {

    private static final String SHARED = "ltx-fleet.upload-slots";

    /** Why a body may not be received now. */
    enum Refusal {
        /** Another body is being received for the same URL or part. */
        BUSY,
        /** The key's scratch budget would be exceeded. */
        FULL
    }

    /** A held slot: give it back with {@link #release}. */
    record Claim(String slot, String owner, long bytes) {
    }

    /** What {@link #claim} answered: a claim, or why not. */
    record Outcome(Claim claim, Refusal refusal) {
    }

    private final long scratchPerKey;
    private final Set<String> busy = new HashSet<>();
    private final Map<String, Long> scratch = new HashMap<>();

    private UploadSlots(long scratchPerKey) {
        this.scratchPerKey = scratchPerKey;
    }

    /** The process's instance (made on first use with {@code scratchPerKey}). */
    static UploadSlots of(Vertx vertx, long scratchPerKey) {
        var map = vertx.sharedData().<String, UploadSlots>getLocalMap(SHARED);
        UploadSlots mine = new UploadSlots(scratchPerKey);
        UploadSlots found = map.putIfAbsent(SHARED, mine);
        return found == null ? mine : found;
    }

    /** The scratch budget per key in bytes. */
    long scratchPerKey() {
        return scratchPerKey;
    }

    /** Holds {@code slot} and {@code bytes} of {@code owner}'s scratch budget, unless refused. */
    synchronized Outcome claim(String slot, String owner, long bytes) {
        if (busy.contains(slot)) {
            return new Outcome(null, Refusal.BUSY);
        }
        long held = scratch.getOrDefault(owner, 0L);
        if (held + bytes > scratchPerKey) {
            return new Outcome(null, Refusal.FULL);
        }
        busy.add(slot);
        scratch.put(owner, held + bytes);
        return new Outcome(new Claim(slot, owner, bytes), null);
    }

    /** Gives back a claim (once). */
    synchronized void release(Claim claim) {
        if (busy.remove(claim.slot())) {
            long left = scratch.getOrDefault(claim.owner(), 0L) - claim.bytes();
            if (left > 0) {
                scratch.put(claim.owner(), left);
            } else {
                scratch.remove(claim.owner());
            }
        }
    }

    @Override
    public Shareable copy() {
        return this; // shared on purpose: the methods synchronise
    }
}
