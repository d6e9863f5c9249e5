package org.ltxfleet.common.kafka;

import java.time.Instant;

/**
 * What a consumer loop is doing, for liveness and readiness: {@code UP} (polling), {@code STARTING}
 * (not polled yet), {@code RECOVERING} (a transient failure, retrying with back-off from its
 * committed positions) or {@code FAILED} (a fatal failure: wrong credentials or settings; the
 * process should exit).
 *
 * @param name   the loop's name
 * @param state  one of the four states
 * @param error  the last failure, or null
 * @param since  when the loop entered this state
 */
public record LoopHealth(String name, State state, String error, Instant since) {

    /** The states of a loop. */
    public enum State { STARTING, UP, RECOVERING, FAILED }

    /** Whether the loop is polling now. */
    public boolean up() {
        return state == State.UP;
    }

    /** Whether the loop is working normally: polling, or starting and not failed yet. */
    public boolean healthy() {
        return state == State.UP || state == State.STARTING;
    }

    /** Whether the loop is alive: anything but a fatal failure. */
    public boolean alive() {
        return state != State.FAILED;
    }
}
