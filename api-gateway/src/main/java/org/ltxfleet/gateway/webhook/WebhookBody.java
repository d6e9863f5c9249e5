package org.ltxfleet.gateway.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.gateway.projection.JobSnapshot;
import org.ltxfleet.gateway.result.ResultHandler;
import org.ltxfleet.gateway.status.StatusView;
import org.ltxfleet.gateway.storage.OutputLinks;

/**
 * The webhook body in fal's shape: {@code {request_id, gateway_request_id, status:"OK"|"ERROR",
 * payload, error?, payload_error?}}. A completed job's payload is its output; a failed or canceled
 * job's payload is the error body its result call answers ({@code {detail, error_type}}).
 */
final class WebhookBody {

    private WebhookBody() {
    }

    /** The body of {@code job}'s webhook; {@code links} signs its outputs' URLs now. */
    static String of(JobSnapshot job, OutputLinks links) {
        ObjectNode body = Json.object();
        body.put("request_id", job.requestId());
        body.put("gateway_request_id", job.requestId());
        switch (job.phase()) {
            case COMPLETED -> {
                body.put("status", "OK");
                body.set("payload", links.render(job));
            }
            case FAILED -> {
                body.put("status", "ERROR");
                body.put("error", "Invalid status code: " + job.failure().statusCode());
                var payload = body.putObject("payload");
                payload.set("detail", job.failure().detail());
                payload.put("error_type", job.failure().errorType());
            }
            case CANCELED -> {
                body.put("status", "ERROR");
                body.put("error", "Invalid status code: " + ResultHandler.CANCELED_STATUS);
                var payload = body.putObject("payload");
                payload.put("detail", StatusView.CANCELED_DETAIL);
                payload.put("error_type", StatusView.CANCELED_ERROR_TYPE);
            }
            default -> throw new IllegalArgumentException("job " + job.requestId() + " has not ended");
        }
        return Json.toString(body);
    }
}
