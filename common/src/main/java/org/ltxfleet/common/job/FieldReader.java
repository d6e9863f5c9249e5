package org.ltxfleet.common.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.ltxfleet.common.json.Json;
import java.util.stream.Collectors;

/**
 * Reads typed fields out of one JSON object and collects every problem instead of stopping at the
 * first, with pydantic's message and type names so fal clients show them as they do for fal.
 * An absent or {@code null} optional field takes its default. Lengths count code points, as
 * pydantic does (an emoji is one character). The reader remembers which fields it read, so the
 * object can be reduced to them ({@link #readFields}).
 */
final class FieldReader {

    private final JsonNode object;
    private final List<Object> path;
    private final List<ValidationProblem> problems;
    /** The fields read so far, with the value to keep for each (a nested list may replace its own). */
    private final Map<String, JsonNode> read = new LinkedHashMap<>();

    FieldReader(JsonNode object, List<Object> path, List<ValidationProblem> problems) {
        this.object = object;
        this.path = List.copyOf(path);
        this.problems = problems;
    }

    /** A reader for a nested object at {@code field[index]}. */
    FieldReader nested(JsonNode child, Object... more) {
        var childPath = new ArrayList<>(path);
        childPath.addAll(List.of(more));
        return new FieldReader(child, childPath, problems);
    }

    JsonNode raw(String field) {
        JsonNode node = node(field);
        return node == null || node.isNull() ? null : node;
    }

    /** The field's node as sent ({@code null} when absent), remembered as read. */
    private JsonNode node(String field) {
        JsonNode node = object.get(field);
        if (node != null) {
            read.putIfAbsent(field, node);
        }
        return node;
    }

    /** Keeps {@code value} for {@code field} in {@link #readFields} instead of the node as sent. */
    void keep(String field, JsonNode value) {
        read.put(field, value);
    }

    /** A new object with only the fields read, in the order they were read. */
    ObjectNode readFields() {
        ObjectNode fields = Json.object();
        read.forEach(fields::set);
        return fields;
    }

    void problem(String field, String msg, String type) {
        problems.add(ValidationProblem.at(loc(field), msg, type));
    }

    void problemAt(List<Object> suffix, String msg, String type) {
        var full = new ArrayList<>(path);
        full.addAll(suffix);
        problems.add(ValidationProblem.at(full, msg, type));
    }

    private List<Object> loc(String field) {
        var full = new ArrayList<>(path);
        full.add(field);
        return full;
    }

    /** A required string; blank strings count as missing, {@code null} is not a string. */
    String requiredString(String field, int maxLength) {
        JsonNode node = node(field);
        if (node == null) {
            problem(field, "Field required", "missing");
            return null;
        }
        if (node.isNull()) {
            problem(field, "Input should be a valid string", "string_type");
            return null;
        }
        String value = string(field, null, maxLength);
        if (value != null && value.isBlank()) {
            problem(field, "String should have at least 1 character", "string_too_short");
            return null;
        }
        return value;
    }

    String string(String field, String fallback, int maxLength) {
        JsonNode node = raw(field);
        if (node == null) {
            return fallback;
        }
        if (!node.isTextual()) {
            problem(field, "Input should be a valid string", "string_type");
            return fallback;
        }
        String value = node.textValue();
        if (value.codePointCount(0, value.length()) > maxLength) {
            problem(field, "String should have at most " + maxLength + " characters", "string_too_long");
            return fallback;
        }
        return value;
    }

    /** An http(s) URL that can be connected to (see {@link HttpUrls}); required or optional. */
    String httpUrl(String field, boolean required) {
        String value = required ? requiredString(field, 2048) : string(field, null, 2048);
        if (value == null) {
            return null;
        }
        try {
            return HttpUrls.parse(value).toString();
        } catch (HttpUrls.InvalidUrlException e) {
            problem(field, e.problem().msg(), e.problem().type());
            return null;
        }
    }

    boolean bool(String field, boolean fallback) {
        JsonNode node = raw(field);
        if (node == null) {
            return fallback;
        }
        if (!node.isBoolean()) {
            problem(field, "Input should be a valid boolean", "bool_type");
            return fallback;
        }
        return node.booleanValue();
    }

    /** An integer in [min, max]; integral floats such as 32.0 are accepted, as pydantic does. */
    int integer(String field, int fallback, int min, int max) {
        JsonNode node = raw(field);
        if (node == null) {
            return fallback;
        }
        if (!node.isNumber()) {
            problem(field, "Input should be a valid integer", "int_type");
            return fallback;
        }
        double asDouble = node.doubleValue();
        if (Double.isInfinite(asDouble) && !node.isIntegralNumber()) {
            problem(field, "Input should be a finite number", "finite_number");
            return fallback;
        }
        if (!node.isIntegralNumber() && asDouble != Math.rint(asDouble)) {
            problem(field, "Input should be a valid integer, got a number with a fractional part", "int_from_float");
            return fallback;
        }
        if (!inRange(node, field, min, max)) {
            return fallback;
        }
        return node.intValue();
    }

    /** An integer from a fixed set of allowed values. */
    int integerOneOf(String field, int fallback, List<Integer> allowed) {
        int value = integer(field, Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (value == Integer.MIN_VALUE) {
            return fallback;
        }
        if (!allowed.contains(value)) {
            problem(field, "Input should be " + orList(allowed, String::valueOf), "literal_error");
            return fallback;
        }
        return value;
    }

    /** A finite number in [min, max]; {@code exclusiveMin} turns the lower bound into "greater than". */
    double number(String field, double fallback, double min, boolean exclusiveMin, double max) {
        JsonNode node = raw(field);
        if (node == null) {
            return fallback;
        }
        if (!node.isNumber()) {
            problem(field, "Input should be a valid number", "float_type");
            return fallback;
        }
        double value = node.doubleValue();
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            problem(field, "Input should be a finite number", "finite_number");
            return fallback;
        }
        if (exclusiveMin ? value <= min : value < min) {
            problem(field, "Input should be greater than " + (exclusiveMin ? "" : "or equal to ") + plain(min),
                    exclusiveMin ? "greater_than" : "greater_than_equal");
            return fallback;
        }
        if (value > max) {
            problem(field, "Input should be less than or equal to " + plain(max), "less_than_equal");
            return fallback;
        }
        return value;
    }

    /** One of the wire names of an enum-like choice. */
    <T> T choice(String field, T fallback, Function<String, T> fromWire, List<String> wireNames) {
        JsonNode node = raw(field);
        if (node == null) {
            return fallback;
        }
        T value = node.isTextual() ? fromWire.apply(node.textValue()) : null;
        if (value == null) {
            problem(field, "Input should be " + orList(wireNames, s -> "'" + s + "'"), "literal_error");
            return fallback;
        }
        return value;
    }

    private boolean inRange(JsonNode node, String field, long min, long max) {
        // BigInteger-sized values must not wrap around: compare as double first.
        double value = node.doubleValue();
        if (value < min) {
            problem(field, "Input should be greater than or equal to " + min, "greater_than_equal");
            return false;
        }
        if (value > max) {
            problem(field, "Input should be less than or equal to " + max, "less_than_equal");
            return false;
        }
        return true;
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static <T> String orList(List<T> values, Function<T, String> show) {
        List<String> shown = values.stream().map(show).toList();
        if (shown.size() == 1) {
            return shown.get(0);
        }
        return shown.subList(0, shown.size() - 1).stream().collect(Collectors.joining(", "))
                + " or " + shown.get(shown.size() - 1);
    }
}
