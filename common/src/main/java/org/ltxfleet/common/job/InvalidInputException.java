package org.ltxfleet.common.job;

import java.util.List;

/**
 * The user's input breaks one or more rules: answered with 422 and billed 0, never retried.
 * Carries every problem found, not only the first.
 */
public final class InvalidInputException extends RuntimeException {

    private final List<ValidationProblem> problems;

    /** An exception carrying every problem found in one input. */
    public InvalidInputException(List<ValidationProblem> problems) {
        super(summary(problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    /** Every problem, in field order. */
    public List<ValidationProblem> problems() {
        return problems;
    }

    private static String summary(List<ValidationProblem> problems) {
        var sb = new StringBuilder("invalid input:");
        for (var p : problems) {
            sb.append(' ').append(String.join(".", p.loc().stream().map(String::valueOf).toList()))
                    .append(": ").append(p.msg()).append(';');
        }
        return sb.toString();
    }
}
