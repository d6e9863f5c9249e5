package org.ltxfleet.gateway.projection;

import org.ltxfleet.common.kafka.Topics;

/**
 * The queue a waiting job is in, by the topic it was written to: workers drain {@link #NORMAL}
 * first, then {@link #OVERFLOW} (a key's jobs past its fair share), then {@link #LOW}.
 */
public enum Lane {
    NORMAL(Topics.JOBS),
    OVERFLOW(Topics.JOBS_OVERFLOW),
    LOW(Topics.JOBS_LOW);

    private final String topic;

    Lane(String topic) {
        this.topic = topic;
    }

    /** The topic this lane's jobs are written to. */
    public String topic() {
        return topic;
    }

    /** The lane of a job topic; a topic of no lane (a user's typo) counts as normal. */
    public static Lane of(String topic) {
        for (Lane lane : values()) {
            if (lane.topic.equals(topic)) {
                return lane;
            }
        }
        return NORMAL;
    }

    /** Queue order: every job of a lane sorts after every job of the lanes before it. */
    long orderBase() {
        return (long) ordinal() << 50;
    }
}
