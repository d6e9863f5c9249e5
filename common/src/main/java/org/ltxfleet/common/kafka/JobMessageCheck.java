package org.ltxfleet.common.kafka;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.ltxfleet.common.job.HttpUrls;
import org.ltxfleet.common.job.ValidationProblem;
import org.ltxfleet.common.json.Json;

/**
 * The fields of a {@link JobMessage} around its {@code input}, checked as the API checks its own:
 * a direct producer's message is public input (ltx.jobs is a public interface), so every field has
 * bounds that keep it safe to store, to add to an instant, to put in an object key or a log line.
 * The {@code input} itself is {@link org.ltxfleet.common.job.InputValidator}'s.
 *
 * <p>Two kinds of problem: the job's identity ({@code request_id}, {@code key_id}), without which no
 * event about it could be shown to anyone, so its record is skipped; and every other field, which
 * fails the job with 422 naming the field ({@code loc: ["message", field]}).
 */
public final class JobMessageCheck {

    /** Request ids: what a UUID, a ULID or a slug uses; safe in object keys and URLs. */
    public static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    public static final int MAX_KEY_ID_LENGTH = 256;
    public static final int MAX_URL_LENGTH = 2048;
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 256;
    public static final int MAX_ENDPOINT_LENGTH = 256;
    /**
     * Retention of outputs: any length a client can mean (fal sets no cap), but bounded so that an
     * end plus it stays a representable instant (10^12 s is ~31,700 years).
     */
    public static final long MAX_OUTPUT_EXPIRATION_SECONDS = 1_000_000_000_000L;
    /** Instants a job can carry: ISO-8601 with a four-digit year. */
    static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private JobMessageCheck() {
    }

    /**
     * A record of a job topic as read: the job when it is sound; else the problems that fail it (with
     * the identity to fail it under), or why it must be skipped (no identity anyone could see).
     *
     * @param job the message, or null when it cannot be read as one
     * @param requestId its request id, when readable and sound
     * @param keyId its key id, when readable and sound
     * @param problems what fails the job with 422 (empty when it is sound or skipped)
     * @param skip why the record is no job at all, or null
     */
    public record Checked(JobMessage job, String requestId, String keyId, List<ValidationProblem> problems, String skip) {

        public boolean sound() {
            return skip == null && problems.isEmpty();
        }

        /**
         * The job with every field that has a problem left out (null; the schema version as this
         * code writes it): what a reader that keeps the job (the gateway's projection) may store and
         * act on while the worker fails it. Null when the message could not be read at all.
         */
        public JobMessage withoutProblems() {
            if (job == null || problems.isEmpty()) {
                return job;
            }
            var bad = new java.util.HashSet<String>();
            problems.forEach(problem -> bad.add(String.valueOf(problem.loc().get(problem.loc().size() - 1))));
            return new JobMessage(bad.contains("schema_version") ? JobMessage.SCHEMA_VERSION : job.schemaVersion(),
                    job.requestId(), job.keyId(), bad.contains("endpoint") ? null : job.endpoint(),
                    bad.contains("submitted_at") ? null : job.submittedAt(),
                    bad.contains("webhook_url") ? null : job.webhookUrl(),
                    bad.contains("priority") ? null : job.priority(),
                    bad.contains("idempotency_key") ? null : job.idempotencyKey(),
                    bad.contains("body_sha256") ? null : job.bodySha256(), job.input(),
                    bad.contains("start_by") ? null : job.startBy(),
                    bad.contains("output_expiration_seconds") ? null : job.outputExpirationSeconds(),
                    bad.contains("no_retry") ? null : job.noRetry());
        }
    }

    /** Reads and checks the record value of a job topic; never throws. */
    public static Checked read(byte[] value) {
        JsonNode tree;
        try {
            tree = Json.readTree(value);
        } catch (RuntimeException e) {
            return skipped("not JSON");
        }
        if (tree == null || !tree.path("request_id").isTextual() || !tree.path("key_id").isTextual()) {
            return skipped("no request_id and key_id strings");
        }
        String requestId = tree.path("request_id").asText();
        String keyId = tree.path("key_id").asText();
        String identity = identityProblem(requestId, keyId);
        if (identity != null) {
            return skipped(identity);
        }
        JobMessage job;
        try {
            job = Json.fromTree(tree, JobMessage.class);
        } catch (RuntimeException e) {
            return new Checked(null, requestId, keyId, List.of(unreadableField(e)), null);
        }
        return new Checked(job, requestId, keyId, problems(job), null);
    }

    /** Why a job with these ids could not be shown to anyone, or null when they are sound. */
    public static String identityProblem(String requestId, String keyId) {
        if (!REQUEST_ID.matcher(requestId).matches()) {
            return "request_id must be 1 to 128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit";
        }
        if (keyId.isEmpty() || keyId.length() > MAX_KEY_ID_LENGTH || hasControl(keyId)) {
            return "key_id must be 1 to " + MAX_KEY_ID_LENGTH + " characters without control characters";
        }
        return null;
    }

    private static Checked skipped(String reason) {
        return new Checked(null, null, null, List.of(), reason);
    }

    /** The field Jackson could not read, named as the schema names it; no Java type in the message. */
    private static ValidationProblem unreadableField(RuntimeException e) {
        String msg = "Input should be of the type docs/schema/job-message.schema.json gives this field";
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                    && mapping.getPath().get(0).getFieldName() != null) {
                return problem(mapping.getPath().get(0).getFieldName(), msg, "type_error");
            }
        }
        return new ValidationProblem(List.of("message"), "Input should be an ltx.jobs message as "
                + "docs/schema/job-message.schema.json gives it", "type_error");
    }

    /** Problems with the fields other than the identity and the input, in field order; empty when none. */
    public static List<ValidationProblem> problems(JobMessage job) {
        var problems = new ArrayList<ValidationProblem>();
        if (job.schemaVersion() < 0 || job.schemaVersion() > JobMessage.SCHEMA_VERSION) {
            problems.add(problem("schema_version", "this fleet reads schema versions up to " + JobMessage.SCHEMA_VERSION
                    + ", got " + job.schemaVersion(), "less_than_equal"));
        }
        text(problems, "endpoint", job.endpoint(), MAX_ENDPOINT_LENGTH);
        instant(problems, "submitted_at", job.submittedAt());
        if (job.webhookUrl() != null && !text(problems, "webhook_url", job.webhookUrl(), MAX_URL_LENGTH)) {
            try {
                HttpUrls.parse(job.webhookUrl());
            } catch (HttpUrls.InvalidUrlException e) {
                problems.add(problem("webhook_url", e.problem().msg(), e.problem().type()));
            }
        }
        if (job.priority() != null && !job.priority().equals("normal") && !job.priority().equals("low")) {
            problems.add(problem("priority", "Input should be 'normal' or 'low'", "enum"));
        }
        text(problems, "idempotency_key", job.idempotencyKey(), MAX_IDEMPOTENCY_KEY_LENGTH);
        if (job.bodySha256() != null && !SHA256_HEX.matcher(job.bodySha256()).matches()) {
            problems.add(problem("body_sha256", "body_sha256 must be 64 lowercase hex digits", "string_pattern_mismatch"));
        }
        instant(problems, "start_by", job.startBy());
        Long expiration = job.outputExpirationSeconds();
        if (expiration != null && (expiration < 1 || expiration > MAX_OUTPUT_EXPIRATION_SECONDS)) {
            problems.add(problem("output_expiration_seconds", "output_expiration_seconds must be from 1 to "
                    + MAX_OUTPUT_EXPIRATION_SECONDS + " (or absent: kept), got " + expiration,
                    expiration < 1 ? "greater_than_equal" : "less_than_equal"));
        }
        return problems;
    }

    /** Adds a problem when {@code value} is too long or holds control characters; true if it did. */
    private static boolean text(List<ValidationProblem> problems, String field, String value, int maxLength) {
        if (value == null) {
            return false;
        }
        if (value.length() > maxLength) {
            problems.add(problem(field, "String should have at most " + maxLength + " characters", "string_too_long"));
            return true;
        }
        if (hasControl(value)) {
            problems.add(problem(field, "String should hold no control characters", "string_pattern_mismatch"));
            return true;
        }
        return false;
    }

    private static void instant(List<ValidationProblem> problems, String field, Instant value) {
        if (value != null && (value.isBefore(EARLIEST) || value.isAfter(LATEST))) {
            problems.add(problem(field, "Datetime should be between " + EARLIEST + " and " + LATEST, "datetime_range"));
        }
    }

    private static boolean hasControl(String value) {
        return value.chars().anyMatch(Character::isISOControl);
    }

    private static ValidationProblem problem(String field, String msg, String type) {
        return new ValidationProblem(List.of("message", field), msg, type);
    }
}
