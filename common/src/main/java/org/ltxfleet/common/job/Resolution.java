package org.ltxfleet.common.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The resolution tiers of the seed endpoint; with an {@link AspectRatio} they pick a {@link Bucket}. */
public enum Resolution {
    LOW("low"),
    MEDIUM("medium"),
    HIGH("high");

    private final String wireName;

    Resolution(String wireName) {
        this.wireName = wireName;
    }

    /** The value as clients send it. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The tier for a wire value, or null when there is none. */
    @JsonCreator
    public static Resolution fromWire(String value) {
        for (Resolution r : values()) {
            if (r.wireName.equals(value)) {
                return r;
            }
        }
        return null;
    }
}
