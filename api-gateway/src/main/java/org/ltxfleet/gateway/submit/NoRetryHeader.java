package org.ltxfleet.gateway.submit;

import java.util.List;
import java.util.Locale;
import org.ltxfleet.common.job.ValidationProblem;

/**
 * fal's {@code x-fal-no-retry} request header: {@code 1}, {@code true} or {@code yes} (fal's
 * "Reliability" page) asks that the job be attempted once, its failed attempt not retried. Its
 * opposites ({@code 0}, {@code false}, {@code no}) and no header leave the job retried; any other
 * value is a problem of the request rather than a guess either way.
 */
final class NoRetryHeader {

    /** The header, as fal's docs write it. */
    static final String NAME = "x-fal-no-retry";

    private NoRetryHeader() {
    }

    /** Whether the header asks for one attempt; a value that is neither yes nor no adds a problem and reads as no. */
    static boolean read(String header, List<ValidationProblem> problems) {
        if (header == null || header.isBlank()) {
            return false;
        }
        return switch (header.trim().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes" -> true;
            case "0", "false", "no" -> false;
            default -> {
                problems.add(new ValidationProblem(List.of("header", NAME), NAME + " should be 1, true or yes to "
                        + "attempt the job once (0, false or no, or no header, to have a failed attempt retried)",
                        "value_error"));
                yield false;
            }
        };
    }
}
