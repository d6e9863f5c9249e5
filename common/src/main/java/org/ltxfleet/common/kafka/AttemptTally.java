package org.ltxfleet.common.kafka;

import java.time.Duration;

/**
 * What a stage has spent on one record so far, kept in Kafka as the metadata of the commit that
 * points at the record ({@code attempts=N;handbacks=M;since=EPOCH_MS}), so it survives the worker,
 * its restarts and partition moves: attempts begun (a crash counts, as its attempt was committed
 * before it ran), hand-backs and stops, and when the first attempt began, from which the stage's
 * time limit runs across all attempts.
 */
record AttemptTally(int attempts, int handBacks, long sinceMillis) {

    private static final String ATTEMPTS = "attempts=";
    private static final String HAND_BACKS = "handbacks=";
    private static final String SINCE = "since=";

    /** The tally in {@code metadata}; a fresh one starting {@code now} when there is none or it cannot be read. */
    static AttemptTally read(String metadata, long now) {
        var fresh = new AttemptTally(0, 0, now);
        if (metadata == null || !metadata.startsWith(ATTEMPTS)) {
            return fresh;
        }
        int attempts = 0;
        int handBacks = 0;
        long since = now;
        try {
            for (String part : metadata.split(";")) {
                if (part.startsWith(ATTEMPTS)) {
                    attempts = Integer.parseInt(part.substring(ATTEMPTS.length()));
                } else if (part.startsWith(HAND_BACKS)) {
                    handBacks = Integer.parseInt(part.substring(HAND_BACKS.length()));
                } else if (part.startsWith(SINCE)) {
                    since = Math.min(now, Long.parseLong(part.substring(SINCE.length())));
                }
            }
        } catch (NumberFormatException e) {
            return fresh;
        }
        return new AttemptTally(Math.max(0, attempts), Math.max(0, handBacks), since);
    }

    AttemptTally attempted() {
        return new AttemptTally(attempts + 1, handBacks, sinceMillis);
    }

    /** The last attempt did not count (the broker was away). */
    AttemptTally uncounted() {
        return new AttemptTally(Math.max(0, attempts - 1), handBacks, sinceMillis);
    }

    /** The last attempt ended in a hand-back or a stop: counted as such, not as an attempt. */
    AttemptTally handedBack() {
        return new AttemptTally(Math.max(0, attempts - 1), handBacks + 1, sinceMillis);
    }

    /** When the stage's time limit ends for this record, counted from its first attempt. */
    long deadline(Duration timeLimit) {
        long limit = timeLimit.toMillis();
        return sinceMillis > Long.MAX_VALUE - limit ? Long.MAX_VALUE : sinceMillis + limit;
    }

    /** Why no further attempt may begin, or null while one may. */
    String exhausted(StageConsumer.Options options, long now) {
        if (attempts >= options.maxAttempts()) {
            return attempts + " attempt(s) without an outcome";
        }
        if (handBacks >= options.maxHandBacks()) {
            return "handed back or stopped " + handBacks + " times without an outcome";
        }
        if (now > deadline(options.timeLimit())) {
            return "past the stage's time limit of " + options.timeLimit().toMinutes() + " min since its first attempt";
        }
        return null;
    }

    @Override
    public String toString() {
        return ATTEMPTS + attempts + ";" + HAND_BACKS + handBacks + ";" + SINCE + sinceMillis;
    }
}
