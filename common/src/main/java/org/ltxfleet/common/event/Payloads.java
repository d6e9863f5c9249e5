package org.ltxfleet.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import org.ltxfleet.common.job.TrainingOutput;

/** The payload records of {@link JobEvent}, one per {@link EventType}. */
public final class Payloads {

    private Payloads() {
    }

    /** Pipeline stages, as named in events and logs. */
    public static final String STAGE_PREPROCESS = "preprocess";
    public static final String STAGE_TRAIN = "train";
    /** Waiting for a worker: the stage of a job that never started. */
    public static final String STAGE_QUEUE = "queue";

    /** A stage took the job. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Started(String stage, String worker) {
    }

    /** A log line; {@code level} is one of fal's: INFO, WARN, ERROR, DEBUG. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Log(String level, String message, String stage) {
    }

    /** Progress of a stage; optional figures are null when the stage has none. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Progress(String stage, long done, long total, Double loss, Double learningRate,
                           Double secondsPerStep, Double etaSeconds) {
    }

    /** Outputs of a completed job; {@code seconds} is the time from first start to completion. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Completed(TrainingOutput output, double seconds) {
    }

    /**
     * Why a job failed. {@code statusCode} is what the result endpoint answers (422 for the user's
     * input or data, 500 for our faults); {@code detail} is its body's {@code detail}: a list of
     * validation problems or a sentence.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Failed(int statusCode, String errorType, JsonNode detail, String stage) {

        /** fal's error type of a job that did not start before its X-Fal-Request-Timeout. */
        public static final String START_TIMEOUT = "request_timeout";

        /** The end of a job that no worker started before its deadline (504, as fal answers it). */
        public static Failed startTimeout(String stage) {
            return new Failed(504, START_TIMEOUT, org.ltxfleet.common.json.Json.toTree(
                    "The request did not start before its X-Fal-Request-Timeout"), stage);
        }
    }

    /** The client canceled the job. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Canceled(String stage) {
    }

    /**
     * One attempt to deliver a job's webhook. {@code outcome}: {@code delivered} (2xx),
     * {@code retrying}, {@code gone} (410: the receiver asked us to stop) or {@code dead_lettered}
     * (the retry window passed).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WebhookAttempt(String deliveryId, int attempt, String url, Integer statusCode, String error,
                                 long durationMs, String outcome, java.time.Instant nextAttemptAt) {
    }
}
