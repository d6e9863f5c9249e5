package org.ltxfleet.gateway.http;

/**
 * The {@code error_type} (and {@code X-Fal-Error-Type}) of an error answer, by its status: fal's
 * own request error types where one fits (fal's "Request Error Types": {@code request_timeout},
 * {@code runner_scheduling_failure}, {@code internal_error}, {@code client_cancelled}), else a
 * plain name for the HTTP status. The README's "Errors" table lists them.
 */
public final class ErrorTypes {

    /** The header fal answers every request error with; its value equals the body's error_type. */
    public static final String HEADER = "X-Fal-Error-Type";
    /** fal's type for input its model refused (a {@code detail} array). */
    public static final String VALIDATION = "validation_error";

    private ErrorTypes() {
    }

    /** The error type an answer with this status carries when the caller names none. */
    public static String forStatus(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            // An upload body that stopped arriving: not fal's request_timeout (a job that did not start in time).
            case 408 -> "body_timeout";
            case 409 -> "conflict";
            case 411 -> "length_required";
            case 413 -> "payload_too_large";
            case 422 -> VALIDATION;
            case 429 -> "rate_limited";
            // nginx's "client closed request", as fal answers a cancelled request.
            case 499 -> "client_cancelled";
            // The job could not be queued for a worker: fal's "no runner could be allocated".
            case 503 -> "runner_scheduling_failure";
            case 504 -> "request_timeout";
            default -> status >= 500 ? "internal_error" : "bad_request";
        };
    }
}
