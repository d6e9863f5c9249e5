package org.ltxfleet.common.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.CharConversionException;
import java.util.Locale;

/**
 * Why a body is not JSON, in words its sender acts on ("the body is not valid JSON: unexpected
 * text after the JSON value at line 1 column 13"). The parser's own message names its classes and
 * options; none of it is passed on, only the kind of problem and where it is.
 */
public final class JsonProblems {

    private static final String NOT_JSON = "the body is not valid JSON";

    private JsonProblems() {
    }

    /** The sentence for a parse failure anywhere in {@code error}'s causes. */
    public static String describe(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof StreamConstraintsException limit) {
                return overLimit(limit);
            }
            if (t instanceof JsonProcessingException parse) {
                return NOT_JSON + ": " + what(parse) + at(parse.getLocation());
            }
            if (t instanceof CharConversionException) {
                return "the body is not valid UTF-8 text";
            }
        }
        return NOT_JSON;
    }

    private static String overLimit(StreamConstraintsException e) {
        StreamReadConstraints limits = Json.mapper().getFactory().streamReadConstraints();
        String message = lower(e.getOriginalMessage());
        if (message.contains("nesting depth")) {
            return "the body nests deeper than " + limits.getMaxNestingDepth() + " levels";
        }
        if (message.contains("number")) {
            return "the body has a number longer than " + limits.getMaxNumberLength() + " characters";
        }
        if (message.contains("string") || message.contains("name")) {
            return "the body has a string longer than the limit of " + limits.getMaxStringLength() + " characters";
        }
        return "the body is larger or more complex than the limits allow";
    }

    private static String what(JsonProcessingException e) {
        String message = lower(e.getOriginalMessage());
        if (e instanceof MismatchedInputException && message.contains("trailing token") || afterTheValue(e)) {
            return "unexpected text after the JSON value";
        }
        if (message.contains("nan") || message.contains("infinity") || message.contains("non_numeric")) {
            return "NaN and Infinity are not JSON numbers";
        }
        if (message.contains("utf-8") || message.contains("utf8") || message.contains("utf-16")
                || message.contains("utf-32") || message.contains("invalid ucs")) {
            return "it is not valid UTF-8 text";
        }
        if (message.contains("end-of-input") || message.contains("no content")) {
            return "it ends before the JSON value does";
        }
        if (message.contains("leading zero")) {
            return "a number starts with a zero";
        }
        if (message.contains("illegal unquoted character") || message.contains("ctrl-char")) {
            return "a string holds a control character (line break, tab, …) that should be escaped";
        }
        if (message.contains("unexpected close marker")) {
            return "a closing bracket does not match an opening one";
        }
        if (message.contains("unrecognized token")) {
            return "a word that is not a JSON value (strings need double quotes)";
        }
        if (message.contains("numeric value") || message.contains("number")) {
            return "a number that is not written as JSON writes numbers";
        }
        if (e instanceof JsonParseException || message.contains("unexpected character")) {
            return "unexpected character";
        }
        return "it is not a JSON value";
    }

    /** Whether the parser had read a whole value at the root and failed on what followed it. */
    private static boolean afterTheValue(JsonProcessingException e) {
        if (e instanceof JsonParseException parse && parse.getProcessor() instanceof JsonParser parser) {
            var context = parser.getParsingContext();
            return context != null && context.inRoot() && context.getCurrentIndex() > 0;
        }
        return false;
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1 || location.getColumnNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + " column " + location.getColumnNr();
    }

    private static String lower(String message) {
        return message == null ? "" : message.toLowerCase(Locale.ROOT);
    }
}
