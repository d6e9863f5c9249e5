package org.ltxfleet.gateway.storage;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.regex.Pattern;
import org.ltxfleet.common.job.ValidationProblem;
import org.ltxfleet.common.json.Json;

/**
 * The body of an upload's initiate: {@code {content_type, file_name}}, both optional. The name
 * becomes the last part of the object key, reduced to letters, digits, dot, dash and underscore.
 */
record UploadRequest(String contentType, String fileName) {

    private static final Pattern MEDIA_TYPE = Pattern.compile("[\\w.+-]+/[\\w.+-]+(\\s*;.*)?");
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");
    private static final int MAX_NAME = 200;

    static UploadRequest read(Buffer raw, List<ValidationProblem> problems) {
        JsonNode body;
        try {
            body = raw == null || raw.length() == 0 ? Json.object() : Json.readTree(raw.getBytes());
        } catch (UncheckedIOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            problems.add(new ValidationProblem(List.of("body"), "The body should be a JSON object "
                    + "{\"content_type\": …, \"file_name\": …}", "model_attributes_type"));
            return null;
        }
        String type = text(body, "content_type", "application/octet-stream", problems);
        if (type != null && (type.length() > 255 || !MEDIA_TYPE.matcher(type).matches())) {
            problems.add(ValidationProblem.at(List.of("content_type"), "Should be a media type such as "
                    + "application/zip", "value_error"));
        }
        String name = text(body, "file_name", "upload.bin", problems);
        return new UploadRequest(type, name == null ? null : safeName(name));
    }

    private static String text(JsonNode body, String field, String fallback, List<ValidationProblem> problems) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual()) {
            problems.add(ValidationProblem.at(List.of(field), "Input should be a valid string", "string_type"));
            return null;
        }
        return value.asText();
    }

    /** The name's last path segment with anything unusual replaced, never empty, "." or "..". */
    static String safeName(String name) {
        String last = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        String safe = UNSAFE.matcher(last).replaceAll("_");
        if (safe.length() > MAX_NAME) {
            safe = safe.substring(safe.length() - MAX_NAME);
        }
        return safe.isEmpty() || safe.chars().allMatch(c -> c == '.') ? "upload.bin" : safe;
    }
}
