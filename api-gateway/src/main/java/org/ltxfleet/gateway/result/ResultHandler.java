package org.ltxfleet.gateway.result;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.ext.web.RoutingContext;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.gateway.GatewayServices;
import org.ltxfleet.gateway.http.ErrorTypes;
import org.ltxfleet.gateway.http.Replies;
import org.ltxfleet.gateway.projection.JobSnapshot;
import org.ltxfleet.gateway.status.StatusHandler;
import org.ltxfleet.gateway.status.StatusView;

/**
 * {@code GET …/requests/{id}}: the output JSON of a completed job. A failed job answers with its
 * failure's status, {@code {detail, error_type}} and {@code X-Fal-Error-Type} (422 for the user's
 * input or data, so fal's client raises a ValidationError); a canceled one 499 with
 * {@code client_cancelled}, as fal answers; an unfinished one 400.
 */
public final class ResultHandler {

    /** What fal answers for a request its client cancelled (nginx's "client closed request"). */
    public static final int CANCELED_STATUS = 499;

    private final GatewayServices services;

    /** A handler over the gateway's services. */
    public ResultHandler(GatewayServices services) {
        this.services = services;
    }

    /** Handles one result call. */
    public void handle(RoutingContext ctx) {
        StatusHandler.withJob(ctx, services, job -> reply(ctx, job));
    }

    private void reply(RoutingContext ctx, JobSnapshot job) {
        switch (job.phase()) {
            case COMPLETED -> Replies.json(ctx, 200, services.outputLinks().render(job));
            case FAILED -> failed(ctx, job.failure().statusCode(), job.failure().detail(), job.failure().errorType());
            case CANCELED -> failed(ctx, CANCELED_STATUS, Json.toTree(StatusView.CANCELED_DETAIL),
                    StatusView.CANCELED_ERROR_TYPE);
            default -> Replies.error(ctx, 400, "Request is still in progress");
        }
    }

    /** A failure as fal reports one: its status, {@code detail}, {@code error_type} and {@code X-Fal-Error-Type}. */
    private static void failed(RoutingContext ctx, int status, JsonNode detail, String errorType) {
        ctx.response().putHeader(ErrorTypes.HEADER, errorType);
        if (Payloads.Failed.START_TIMEOUT.equals(errorType)) {
            // fal's clients read this as "the caller's startTimeout passed: do not retry".
            ctx.response().putHeader("X-Fal-Request-Timeout-Type", "user");
        }
        var body = Json.object();
        body.set("detail", detail);
        body.put("error_type", errorType);
        Replies.json(ctx, status, body);
    }
}
