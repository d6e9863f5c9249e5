package org.ltxfleet.model.nn;

import java.io.IOException;

/** A tensor's values in row-major order, handed out a chunk at a time (from a file or a seeded generator). */
@FunctionalInterface
public interface ValueStream {

    /** Puts the next {@code count} values into {@code target[0, count)}. */
    void next(float[] target, int count) throws IOException;
}
