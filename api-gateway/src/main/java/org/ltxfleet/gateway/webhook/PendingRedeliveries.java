package org.ltxfleet.gateway.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most one queued redelivery per job in this gateway, however many calls race: a redelivery is
 * pending from the moment it is claimed until the job lists an attempt newer than the ones it saw
 * (then the attempt's own outcome says whether retries are still pending), or until
 * {@code pendingFor} has passed without one (an archived job lists no new attempts; a delivery
 * worker that lost the record must not block redeliveries for good). Across gateways the claim is
 * also made in the store, create-only, under {@link #markerKey}. Thread-safe.
 */
final class PendingRedeliveries {

    /** Past this many claims, expired ones are dropped on the next claim (each job leaves one behind). */
    private static final int SWEEP_ABOVE = 10_000;

    /** A claimed redelivery of a job whose webhook had {@code attemptsSeen} attempts, claimed {@code at}. */
    record Claim(String requestId, int attemptsSeen, Instant at) {
    }

    private final Duration pendingFor;
    private final Map<String, Claim> claims = new ConcurrentHashMap<>();

    /** Claims that stay pending at most {@code pendingFor} without a new attempt. */
    PendingRedeliveries(Duration pendingFor) {
        if (pendingFor.toSeconds() < 1) {
            throw new IllegalArgumentException("pendingFor should be at least a second, got " + pendingFor);
        }
        this.pendingFor = pendingFor;
    }

    /** Claims the job's next redelivery; empty when one is already pending. */
    Optional<Claim> claim(String requestId, int attemptsSeen, Instant now) {
        if (claims.size() > SWEEP_ABOVE) {
            claims.values().removeIf(c -> expired(c, now));
        }
        var mine = new Claim(requestId, attemptsSeen, now);
        Claim held = claims.compute(requestId, (id, earlier) ->
                earlier == null || attemptsSeen > earlier.attemptsSeen() || expired(earlier, now) ? mine : earlier);
        return held == mine ? Optional.of(mine) : Optional.empty();
    }

    /** Gives a claim back: its redelivery was not queued. */
    void release(Claim claim) {
        claims.remove(claim.requestId(), claim);
    }

    /**
     * The store key that one gateway creates for this claim: gateways that see the same attempts in the
     * same {@code pendingFor} window race for one key, and only the one that creates it redelivers.
     */
    String markerKey(Claim claim) {
        long window = claim.at().getEpochSecond() / pendingFor.toSeconds();
        return "jobs/" + claim.requestId() + "/webhook-redeliveries/" + claim.attemptsSeen() + "-" + window + ".json";
    }

    private boolean expired(Claim claim, Instant now) {
        return !now.isBefore(claim.at().plus(pendingFor));
    }
}
