package org.ltxfleet.gateway.storage;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.ltxfleet.common.job.ValidationProblem;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.JobMessageCheck;

/**
 * fal's object lifecycle headers: a JSON object whose {@code expiration_duration_seconds} says how
 * long objects are kept (what fal's clients send for {@code storageSettings} or {@code lifecycle}
 * {@code {expiresIn}}: 60 for "immediate", 3600 for "1h", any number of seconds; no field for
 * "never"). As fal documents it: any positive number of seconds, or null for no expiration; there
 * is no cap. Other fields ({@code initial_acl}) are ignored. Shared by the submit (outputs) and the
 * upload initiate (the uploaded file).
 */
public final class ObjectLifecycleHeader {

    /** On a submit: how long the job's outputs are kept (as fal's clients send it, lower case). */
    public static final String OUTPUTS = "x-fal-object-lifecycle-preference";
    /** On an upload's initiate: how long the uploaded file is kept (the initiate also reads {@link #OUTPUTS}). */
    public static final String UPLOAD = "x-fal-object-lifecycle";
    /**
     * Longer than this (about 31,700 years, the most a job record carries) is the same as no
     * expiration: no store keeps an object that long, and a date past it would not fit.
     */
    static final long FOREVER_SECONDS = JobMessageCheck.MAX_OUTPUT_EXPIRATION_SECONDS;
    private static final String FIELD = "expiration_duration_seconds";

    private ObjectLifecycleHeader() {
    }

    /**
     * The retention in seconds the header {@code name} asks for: {@code fallback}'s (null: kept)
     * without a header or field, null (kept) for {@code null} or beyond {@link #FOREVER_SECONDS};
     * a header that is not such an object adds a problem naming it.
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
        if (!value.has(FIELD)) {
            return byDefault;
        }
        JsonNode seconds = value.get(FIELD);
        if (seconds.isNull()) {
            return null;
        }
        if (!seconds.isNumber() || !isWhole(seconds) || seconds.decimalValue().signum() <= 0) {
            problems.add(problem(name, FIELD + " should be a whole positive number of seconds, or null to keep "
                    + "the objects", "value_error"));
            return null;
        }
        return seconds.canConvertToLong() && seconds.asLong() <= FOREVER_SECONDS ? seconds.asLong() : null;
    }

    private static boolean isWhole(JsonNode number) {
        return number.isIntegralNumber() || number.decimalValue().stripTrailingZeros().scale() <= 0;
    }

    private static ValidationProblem problem(String name, String message, String type) {
        return new ValidationProblem(List.of("header", name), message, type);
    }
}
