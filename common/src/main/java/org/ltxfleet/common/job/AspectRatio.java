package org.ltxfleet.common.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The aspect ratios of the seed endpoint. */
public enum AspectRatio {
    LANDSCAPE("16:9"),
    SQUARE("1:1"),
    PORTRAIT("9:16");

    private final String wireName;

    AspectRatio(String wireName) {
        this.wireName = wireName;
    }

    /** The value as clients send it. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The ratio for a wire value, or null when there is none. */
    @JsonCreator
    public static AspectRatio fromWire(String value) {
        for (AspectRatio r : values()) {
            if (r.wireName.equals(value)) {
                return r;
            }
        }
        return null;
    }
}
