package org.ltxfleet.common.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.ltxfleet.common.json.Json;

/**
 * A job cannot succeed because of what the user gave it (an unreachable URL, a broken archive, no
 * usable clip): it ends FAILED with this status and detail, billed 0, and is never retried.
 * Infrastructure trouble is any other exception, and is retried.
 */
public final class JobFailedException extends RuntimeException {

    private final int statusCode;
    private final String errorType;
    private final JsonNode detail;

    /** A failure answered with {@code statusCode} and {@code {"detail": detail}}. */
    public JobFailedException(int statusCode, String errorType, JsonNode detail, String message) {
        super(message, null, false, false);
        this.statusCode = statusCode;
        this.errorType = errorType;
        this.detail = detail;
    }

    /** A 422 whose detail is one sentence. */
    public static JobFailedException unprocessable(String errorType, String message) {
        return new JobFailedException(422, errorType, Json.toTree(message), message);
    }

    /** A 422 whose detail names a field of the input, in the validation shape. */
    public static JobFailedException invalidField(String errorType, String field, String message) {
        return invalidAt(List.of(field), errorType, message);
    }

    /** A 422 whose detail names a nested place of the input, e.g. {@code validation, 0, start_image_url}. */
    public static JobFailedException invalidAt(List<Object> path, String errorType, String message) {
        var problem = ValidationProblem.at(path, message, errorType);
        return new JobFailedException(422, errorType, Json.toTree(List.of(problem)), message);
    }

    /** The HTTP status the result endpoint answers. */
    public int statusCode() {
        return statusCode;
    }

    /** A stable machine-readable kind. */
    public String errorType() {
        return errorType;
    }

    /** The body's {@code detail}: a sentence or a list of problems. */
    public JsonNode detail() {
        return detail;
    }
}
