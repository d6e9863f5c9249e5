package org.ltxfleet.common.kafka;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.Objects;

/**
 * A training job on {@link Topics#JOBS} (or {@link Topics#JOBS_OVERFLOW} past its key's fair
 * share, {@link Topics#JOBS_LOW} for low priority), keyed by
 * {@code request_id}. This is a public contract:
 * the gateway writes it for HTTP submissions, and users may produce it with their own Kafka
 * producers. {@code input} is the request body's known fields as submitted (the gateway drops
 * fields the endpoint does not read); workers validate it with the same
 * {@link org.ltxfleet.common.job.InputValidator} as the gateway, so a bad one ends FAILED with a
 * 422 detail. The JSON Schema is {@code docs/schema/job-message.schema.json}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobMessage(
        @JsonPropertyDescription("Schema version of this message; this class writes " + JobMessage.SCHEMA_VERSION + ".")
        int schemaVersion,
        @JsonPropertyDescription("Unique id of the job, also the Kafka record key; a UUID is recommended.")
        String requestId,
        @JsonPropertyDescription("Id of the API key that owns the job; only that key sees it through the HTTP API.")
        String keyId,
        @JsonPropertyDescription("Endpoint id, e.g. fal-ai/ltx23-trainer-v2/interpolate.")
        String endpoint,
        @JsonPropertyDescription("When the job was submitted (ISO-8601).")
        Instant submittedAt,
        @JsonPropertyDescription("Optional URL that receives the signed completion webhook.")
        String webhookUrl,
        @JsonPropertyDescription("Queue priority, normal or low. The topic decides: jobs on ltx.jobs.low are "
                + "low priority, jobs on ltx.jobs normal; the gateway writes the one matching this field.")
        String priority,
        @JsonPropertyDescription("Optional client idempotency key (HTTP Idempotency-Key header).")
        String idempotencyKey,
        @JsonPropertyDescription("Optional hex sha256 of the submitted body, paired with idempotency_key.")
        String bodySha256,
        @JsonPropertyDescription("The training input as submitted, known fields only (see the endpoint's input table); "
                + "unknown fields are ignored.")
        JsonNode input,
        @JsonPropertyDescription("Optional deadline to start (ISO-8601; the HTTP X-Fal-Request-Timeout header, in "
                + "seconds from submission): a job no worker has started by then ends FAILED with 504 "
                + "request_timeout, billed 0. A job started in time runs to its end.")
        Instant startBy,
        @JsonPropertyDescription("Optional: how long the job's outputs are kept after it completes, in seconds "
                + "(the HTTP X-Fal-Object-Lifecycle-Preference header's expiration_duration_seconds); the "
                + "gateway deletes them then. Absent: kept until the bucket's own rules remove them.")
        Long outputExpirationSeconds,
        @JsonPropertyDescription("Optional: true to run the job once per stage (the HTTP x-fal-no-retry header): "
                + "an attempt that fails for a reason the workers would retry (a worker that crashed or was "
                + "killed mid-job, an unexpected error) fails the job with 500 instead. Absent or false: retried "
                + "up to worker.max.attempts times.")
        Boolean noRetry) {

    /** The version this code writes. */
    public static final int SCHEMA_VERSION = 1;

    public JobMessage {
        Objects.requireNonNull(requestId, "request_id");
        Objects.requireNonNull(keyId, "key_id");
    }

    /** A job without {@code no_retry}: retried as the stages' settings say (the message as written before the field). */
    public JobMessage(int schemaVersion, String requestId, String keyId, String endpoint, Instant submittedAt,
                      String webhookUrl, String priority, String idempotencyKey, String bodySha256, JsonNode input,
                      Instant startBy, Long outputExpirationSeconds) {
        this(schemaVersion, requestId, keyId, endpoint, submittedAt, webhookUrl, priority, idempotencyKey, bodySha256,
                input, startBy, outputExpirationSeconds, null);
    }

    /** This job as read from {@code topic}: the topic it was on decides its priority. */
    public JobMessage onTopic(String topic) {
        String fromTopic = Topics.JOBS_LOW.equals(topic) ? "low" : "normal";
        return new JobMessage(schemaVersion, requestId, keyId, endpoint, submittedAt, webhookUrl, fromTopic,
                idempotencyKey, bodySha256, input, startBy, outputExpirationSeconds, noRetry);
    }

    /** Whether a failed attempt at this job may be tried again: false when it asked for one attempt ({@code no_retry}). */
    public boolean retried() {
        return !Boolean.TRUE.equals(noRetry);
    }

    /** Whether a deadline to start was set and has passed at {@code now}. */
    public boolean startDeadlinePassed(Instant now) {
        return startBy != null && now.isAfter(startBy);
    }
}
