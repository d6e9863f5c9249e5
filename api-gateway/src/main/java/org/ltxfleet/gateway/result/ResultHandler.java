package org.ltxfleet.gateway.result;

import io.vertx.ext.web.RoutingContext;
import org.ltxfleet.gateway.GatewayServices;
import org.ltxfleet.gateway.http.Replies;
import org.ltxfleet.gateway.projection.JobSnapshot;
import org.ltxfleet.gateway.status.StatusHandler;

/**
 * {@code GET …/requests/{id}}: the output JSON of a completed job. A failed job answers with its
 * failure's status and {@code {detail}} (422 for the user's input or data, so fal's client raises
 * a ValidationError); a canceled or unfinished job answers 400.
 */
public final class ResultHandler {

    private final GatewayServices services;

    /** A handler over the gateway's services. */
    public ResultHandler(GatewayServices services) {
        this.services = services;
    }

    /** Handles one result call. */
    public void handle(RoutingContext ctx) {
        StatusHandler.findJob(ctx, services).ifPresent(job -> reply(ctx, job));
    }

    private static void reply(RoutingContext ctx, JobSnapshot job) {
        ctx.response().putHeader("x-fal-request-id", job.requestId());
        switch (job.phase()) {
            case COMPLETED -> Replies.json(ctx, 200, job.output());
            case FAILED -> Replies.error(ctx, job.failure().statusCode(), job.failure().detail());
            case CANCELED -> Replies.error(ctx, 400, "Request was canceled");
            default -> Replies.error(ctx, 400, "Request is still in progress");
        }
    }
}
