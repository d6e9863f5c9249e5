package org.ltxfleet.gateway.storage;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.ltxfleet.common.job.ValidationProblem;
import org.ltxfleet.common.json.Json;

/**
 * fal's object lifecycle headers: a JSON object whose {@code expiration_duration_seconds} says how
 * long objects are kept (what fal's clients send for {@code storageSettings} or {@code lifecycle}
 * {@code {expiresIn}}: 60 for "immediate", 3600 for "1h", …; no field for "never"). Other fields
 * ({@code initial_acl}) are ignored.
 */
public final class ObjectLifecycleHeader {

    /** On a submit: how long the job's outputs are kept (as fal's clients send it, lower case). */
    public static final String OUTPUTS = "x-fal-object-lifecycle-preference";
    /** On an upload's initiate: how long the uploaded file is kept. */
    public static final String UPLOAD = "x-fal-object-lifecycle";
    /** Ten years: longer than anyone should keep a LoRA they never download. */
    static final long MAX_SECONDS = 10L * 365 * 24 * 3600;
    private static final String FIELD = "expiration_duration_seconds";

    private ObjectLifecycleHeader() {
    }

    /**
     * The retention in seconds the header {@code name} asks for, else {@code fallback}'s (null:
     * kept); a header that is not such an object adds a problem naming it.
     */
    public static Long expirationSeconds(String name, String header, Duration fallback,
                                         List<ValidationProblem> problems) {
        Long byDefault = fallback == null ? null : fallback.toSeconds();
        if (header == null || header.isBlank()) {
            return byDefault;
        }
        JsonNode value;
        try {
            value = Json.readTree(header.getBytes(StandardCharsets.UTF_8));
        } catch (UncheckedIOException e) {
            value = null;
        }
        if (value == null || !value.isObject()) {
            problems.add(problem(name, name + " should be a JSON object such as "
                    + "{\"expiration_duration_seconds\": 3600}", "json_invalid"));
            return null;
        }
        JsonNode seconds = value.get(FIELD);
        if (seconds == null || seconds.isNull()) {
            return byDefault;
        }
        if (!seconds.canConvertToExactIntegral() || seconds.asLong() < 1 || seconds.asLong() > MAX_SECONDS) {
            problems.add(problem(name, FIELD + " should be a whole number of seconds from 1 to " + MAX_SECONDS,
                    "value_error"));
            return null;
        }
        return seconds.asLong();
    }

    private static ValidationProblem problem(String name, String message, String type) {
        return new ValidationProblem(List.of("header", name), message, type);
    }
}
