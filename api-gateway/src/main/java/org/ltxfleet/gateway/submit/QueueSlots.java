package org.ltxfleet.gateway.submit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * The per-key cap on waiting jobs ({@code gateway.max.queued.per.key}) under concurrent submits.
 * A submit reserves a slot before it produces its job and releases it once the job is counted as
 * queued (or was not stored), so the jobs queued plus the submits in flight never pass the cap in
 * one gateway, however many submits race. Gateways do not share reservations: with N gateways a key
 * can pass the cap by at most the submits in flight on the others (those not yet read back).
 * Thread-safe.
 */
final class QueueSlots {

    private final int cap;
    private final ToIntFunction<String> queued;
    /** Per API key, the submits that reserved a slot and are not yet counted as queued. */
    private final Map<String, int[]> inFlight = new ConcurrentHashMap<>();

    /** A cap of {@code cap} waiting jobs per key (0: none), over {@code queued}'s count of a key's waiting jobs. */
    QueueSlots(int cap, ToIntFunction<String> queued) {
        this.cap = cap;
        this.queued = queued;
    }

    /** The cap; 0 when there is none. */
    int cap() {
        return cap;
    }

    /** Reserves a slot for one more of the key's jobs; false when the key's waiting and in-flight jobs fill the cap. */
    boolean tryReserve(String keyId) {
        if (cap <= 0) {
            return true;
        }
        int[] reserved = inFlight.computeIfAbsent(keyId, k -> new int[1]);
        synchronized (reserved) {
            if (queued.applyAsInt(keyId) + reserved[0] >= cap) {
                return false;
            }
            reserved[0]++;
            return true;
        }
    }

    /**
     * Gives back a slot from {@link #tryReserve}: call it after the job was counted as queued (so it
     * is never counted in neither place), or when it was not stored.
     */
    void release(String keyId) {
        if (cap <= 0) {
            return;
        }
        int[] reserved = inFlight.get(keyId);
        synchronized (reserved) {
            reserved[0]--;
        }
    }
}
