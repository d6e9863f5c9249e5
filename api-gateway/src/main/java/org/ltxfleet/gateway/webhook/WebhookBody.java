package org.ltxfleet.gateway.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.gateway.projection.JobSnapshot;

/**
 * The webhook body in fal's shape: {@code {request_id, gateway_request_id, status:"OK"|"ERROR",
 * payload, error?, payload_error?}}. A completed job's payload is its output; a failed or canceled
 * job's payload is the error body its result call answers ({@code {detail}}).
 */
final class WebhookBody {

    private WebhookBody() {
    }

    static String of(JobSnapshot job) {
        ObjectNode body = Json.object();
        body.put("request_id", job.requestId());
        body.put("gateway_request_id", job.requestId());
        switch (job.phase()) {
            case COMPLETED -> {
                body.put("status", "OK");
                body.set("payload", job.output());
            }
            case FAILED -> {
                body.put("status", "ERROR");
                body.put("error", "Invalid status code: " + job.failure().statusCode());
                body.putObject("payload").set("detail", job.failure().detail());
            }
            case CANCELED -> {
                body.put("status", "ERROR");
                body.put("error", "Request was canceled");
                body.putObject("payload").put("detail", "Request was canceled");
            }
            default -> throw new IllegalArgumentException("job " + job.requestId() + " has not ended");
        }
        return Json.toString(body);
    }
}
