package org.ltxfleet.gateway.cancel;

import io.vertx.core.Context;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletableFuture;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.JobEvent;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.kafka.ControlMessage;
import org.ltxfleet.common.kafka.Records;
import org.ltxfleet.gateway.GatewayServices;
import org.ltxfleet.gateway.auth.AuthHandler;
import org.ltxfleet.gateway.http.ErrorTypes;
import org.ltxfleet.gateway.http.Replies;
import org.ltxfleet.gateway.projection.JobPhase;
import org.ltxfleet.gateway.projection.JobSnapshot;
import org.ltxfleet.gateway.status.StatusHandler;
import org.ltxfleet.common.json.Json;

/**
 * {@code PUT …/requests/{id}/cancel}: asks the workers to stop the job through {@code ltx.control}
 * (202 CANCELLATION_REQUESTED). A job still in the queue is canceled at once with a
 * {@code job.canceled} event, after the control message is durable so the worker that later
 * takes the job skips it. A finished job answers 400 ALREADY_COMPLETED, an unknown one 404
 * NOT_FOUND, as fal's queue answers them.
 */
public final class CancelHandler {

    private final GatewayServices services;

    /** A handler over the gateway's services. */
    public CancelHandler(GatewayServices services) {
        this.services = services;
    }

    /** Handles one cancel call. */
    public void handle(RoutingContext ctx) {
        StatusHandler.withJob(ctx, services, job -> cancel(ctx, job), () -> notFound(ctx));
    }

    /** fal's cancel answers an id it does not know (or another key's) 404 {@code {"status": "NOT_FOUND"}}. */
    private static void notFound(RoutingContext ctx) {
        ctx.response().putHeader(ErrorTypes.HEADER, ErrorTypes.forStatus(404));
        Replies.json(ctx, 404, Json.object().put("status", "NOT_FOUND"));
    }

    private void cancel(RoutingContext ctx, JobSnapshot job) {
        if (job.phase().terminal()) {
            ctx.response().putHeader(ErrorTypes.HEADER, ErrorTypes.forStatus(400));
            Replies.json(ctx, 400, Json.object().put("status", "ALREADY_COMPLETED"));
            return;
        }
        String keyId = AuthHandler.keyId(ctx);
        Context context = ctx.vertx().getOrCreateContext();
        services.publisher().send(Records.control(ControlMessage.cancel(job.requestId(), keyId)))
                .thenCompose(ack -> job.phase() == JobPhase.IN_QUEUE
                        ? services.publisher().send(Records.event(JobEvent.of(job.requestId(), keyId,
                                EventType.CANCELED, "api-gateway", new Payloads.Canceled("queue"))))
                        : CompletableFuture.completedFuture(ack))
                .whenComplete((ack, error) -> context.runOnContext(v -> {
                    if (error != null) {
                        ctx.response().putHeader("Retry-After", "5");
                        Replies.error(ctx, 503, "The control queue is unavailable; retry the cancellation later");
                    } else {
                        Replies.json(ctx, 202, Json.object().put("status", "CANCELLATION_REQUESTED"));
                    }
                }));
    }
}
