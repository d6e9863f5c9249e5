package org.ltxfleet.gateway.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.gateway.http.RequestUrls;
import org.ltxfleet.gateway.projection.JobPhase;
import org.ltxfleet.gateway.projection.JobSnapshot;
import org.ltxfleet.gateway.projection.LogLine;

/**
 * Renders a job as fal's status object: {@code IN_QUEUE} with {@code queue_position},
 * {@code IN_PROGRESS} with logs, {@code COMPLETED} with logs, metrics and, for a failed or
 * canceled job, {@code error} and {@code error_type}. Our additions, which fal's clients ignore:
 * {@code state} (IN_QUEUE, IN_PROGRESS, COMPLETED, FAILED or CANCELED: the outcome fal folds into
 * COMPLETED), {@code progress}, and {@code logs_cursor} (pass it back as {@code since} to get only
 * newer log lines).
 */
public final class StatusView {

    /** The error type of a canceled job, as fal names it. */
    public static final String CANCELED_ERROR_TYPE = "client_cancelled";
    /** How a canceled job's error reads, in its status, result and webhook. */
    public static final String CANCELED_DETAIL = "Request was cancelled by the client";

    private StatusView() {
    }

    /** The status object; {@code logs} is null unless asked for, as fal does. */
    public static ObjectNode render(JobSnapshot job, RequestUrls urls, int queuePosition, List<LogLine> logs) {
        ObjectNode body = Json.object();
        body.put("status", job.phase().falStatus());
        body.put("state", job.phase().name());
        body.put("request_id", job.requestId());
        body.put("response_url", urls.responseUrl());
        body.put("status_url", urls.statusUrl());
        body.put("cancel_url", urls.cancelUrl());
        if (job.phase() == JobPhase.IN_QUEUE) {
            body.put("queue_position", Math.max(queuePosition, 0));
        }
        if (logs == null) {
            body.putNull("logs");
        } else {
            ArrayNode array = body.putArray("logs");
            logs.forEach(l -> array.addObject()
                    .put("message", l.message())
                    .put("level", l.level())
                    .put("source", "USER")
                    .put("timestamp", l.timestamp().toString()));
        }
        body.put("logs_cursor", Integer.toString(job.logs().size()));
        ObjectNode metrics = body.putObject("metrics");
        if (job.phase().terminal()) {
            metrics.put("inference_time", job.inferenceSeconds());
            addError(body, job);
        }
        if (job.progress() != null && !job.phase().terminal()) {
            body.set("progress", Json.toTree(job.progress()));
        }
        return body;
    }

    /** The HTTP status fal answers a status call with: 200 once completed, 202 before. */
    public static int httpStatus(JobSnapshot job) {
        return job.phase().terminal() ? 200 : 202;
    }

    /** One sentence for fal's {@code error} string: the detail itself, or its problems joined. */
    static String describe(JsonNode detail, int statusCode) {
        if (detail != null && detail.isTextual()) {
            return detail.textValue();
        }
        if (detail != null && detail.isArray() && !detail.isEmpty()) {
            var parts = new java.util.ArrayList<String>();
            for (JsonNode problem : detail) {
                var loc = new java.util.ArrayList<String>();
                problem.path("loc").forEach(l -> loc.add(l.asText()));
                parts.add(String.join(".", loc) + ": " + problem.path("msg").asText());
            }
            return "Invalid input: " + String.join("; ", parts);
        }
        return "Request failed with status " + statusCode;
    }

    private static void addError(ObjectNode body, JobSnapshot job) {
        switch (job.phase()) {
            case FAILED -> {
                var failure = job.failure();
                body.put("error", describe(failure.detail(), failure.statusCode()));
                body.put("error_type", failure.errorType());
            }
            case CANCELED -> {
                body.put("error", CANCELED_DETAIL);
                body.put("error_type", CANCELED_ERROR_TYPE);
            }
            default -> {
                body.putNull("error");
                body.putNull("error_type");
            }
        }
    }
}
