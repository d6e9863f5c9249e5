package org.ltxfleet.common.job;

import java.util.List;

/**
 * One entry of a 422 answer, in the FastAPI/pydantic shape fal's clients parse:
 * {@code {"loc":["body","rank"],"msg":"…","type":"literal_error"}}.
 *
 * @param loc  where the problem is: "body", then field names and list indexes
 * @param msg  a sentence for a person
 * @param type a stable machine-readable kind (pydantic's names, e.g. {@code missing}, {@code int_type})
 */
public record ValidationProblem(List<Object> loc, String msg, String type) {

    /** A problem at {@code body.<path…>}. */
    public static ValidationProblem at(List<Object> path, String msg, String type) {
        var loc = new java.util.ArrayList<Object>(path.size() + 1);
        loc.add("body");
        loc.addAll(path);
        return new ValidationProblem(List.copyOf(loc), msg, type);
    }
}
