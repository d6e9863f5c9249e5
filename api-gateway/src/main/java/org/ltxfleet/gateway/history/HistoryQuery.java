package org.ltxfleet.gateway.history;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.ltxfleet.common.job.InvalidInputException;
import org.ltxfleet.common.job.ValidationProblem;
import org.ltxfleet.gateway.projection.JobPhase;
import org.ltxfleet.gateway.projection.ListPosition;

/**
 * The query of {@code GET /v1/requests}: how many jobs ({@code limit}, 1 to 100, default 20), after
 * which one ({@code cursor}, from the previous page), and of which state ({@code status}: a status
 * object's {@code state}, in any case; {@code CANCELLED} also names {@code CANCELED}). An empty
 * parameter counts as absent.
 *
 * @param after  the position the page starts after, or null for the newest
 * @param status the state asked for, or null for every state
 */
public record HistoryQuery(int limit, ListPosition after, JobPhase status) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    private static final String STATES = String.join(", ", Arrays.stream(JobPhase.values()).map(Enum::name).toList());

    /**
     * Reads the query parameters; throws {@link InvalidInputException} naming every bad one
     * ({@code loc: ["query", name]}), as the other query checks do.
     */
    public static HistoryQuery parse(MultiMap params) {
        var problems = new ArrayList<ValidationProblem>();
        int limit = limit(params.get("limit"), problems);
        ListPosition after = cursor(params.get("cursor"), problems);
        JobPhase status = status(params.get("status"), problems);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return new HistoryQuery(limit, after, status);
    }

    private static int limit(String value, List<ValidationProblem> problems) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException notAWholeNumber) {
            // answered below, as for a number out of range
        }
        problems.add(problem("limit", "Input should be a whole number from 1 to " + MAX_LIMIT, "int_range"));
        return DEFAULT_LIMIT;
    }

    private static ListPosition cursor(String value, List<ValidationProblem> problems) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return HistoryCursor.parse(value);
        } catch (IllegalArgumentException e) {
            problems.add(problem("cursor", "Input should be the next_cursor of an earlier page, unchanged",
                    "value_error"));
            return null;
        }
    }

    private static JobPhase status(String value, List<ValidationProblem> problems) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String name = value.toUpperCase(Locale.ROOT);
        if (name.equals("CANCELLED")) {
            return JobPhase.CANCELED;
        }
        try {
            return JobPhase.valueOf(name);
        } catch (IllegalArgumentException e) {
            problems.add(problem("status", "Input should be one of " + STATES, "enum"));
            return null;
        }
    }

    private static ValidationProblem problem(String parameter, String msg, String type) {
        return new ValidationProblem(List.of("query", parameter), msg, type);
    }
}
