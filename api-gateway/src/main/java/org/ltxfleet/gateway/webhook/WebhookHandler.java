package org.ltxfleet.gateway.webhook;

import io.vertx.core.Context;
import io.vertx.ext.web.RoutingContext;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.Records;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.gateway.GatewayServices;
import org.ltxfleet.gateway.http.Replies;
import org.ltxfleet.gateway.projection.JobSnapshot;
import org.ltxfleet.gateway.status.StatusHandler;

/**
 * {@code GET …/requests/{id}/webhooks} lists a job's delivery attempts;
 * {@code POST …/requests/{id}/webhooks/redeliver} sends its webhook again, under the same delivery
 * id and with a fresh retry window, once the delivery before has ended (409 while it is pending).
 */
public final class WebhookHandler {

    private final GatewayServices services;

    /** A handler over the gateway's services. */
    public WebhookHandler(GatewayServices services) {
        this.services = services;
    }

    /** Lists the attempts. */
    public void list(RoutingContext ctx) {
        StatusHandler.withJob(ctx, services, job -> {
            var body = Json.object();
            body.put("request_id", job.requestId());
            body.put("webhook_url", job.webhookUrl());
            body.put("delivery_id", job.webhookUrl() == null ? null : WebhookDispatcher.deliveryId(job.requestId()));
            body.set("attempts", Json.toTree(job.webhookAttempts()));
            Replies.json(ctx, 200, body);
        });
    }

    /** Queues a new delivery. */
    public void redeliver(RoutingContext ctx) {
        StatusHandler.withJob(ctx, services, job -> redeliver(ctx, job));
    }

    private void redeliver(RoutingContext ctx, JobSnapshot job) {
        if (job.webhookUrl() == null) {
            Replies.error(ctx, 400, "This request was submitted without fal_webhook");
            return;
        }
        if (!job.phase().terminal()) {
            Replies.error(ctx, 400, "The request has not finished; its webhook is sent when it does");
            return;
        }
        var attempts = job.webhookAttempts();
        var last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
        if (last == null || WebhookDeliveryWorker.RETRYING.equals(last.outcome())) {
            // One delivery at a time: a second would race the first under the same delivery id.
            Replies.error(ctx, 409, last == null
                    ? "The webhook's first delivery is still pending; redeliver once it has ended"
                    : "A delivery of this webhook is still pending (next attempt at " + last.nextAttemptAt()
                            + "); redeliver once it has ended");
            return;
        }
        var delivery = WebhookDispatcher.newDelivery(job, services.outputLinks());
        Context context = ctx.vertx().getOrCreateContext();
        services.publisher().send(Records.webhook(Topics.WEBHOOKS, delivery))
                .whenComplete((ack, error) -> context.runOnContext(v -> {
                    if (error != null) {
                        ctx.response().putHeader("Retry-After", "5");
                        Replies.error(ctx, 503, "The delivery queue is unavailable; retry later");
                    } else {
                        Replies.json(ctx, 202, Json.object().put("status", "REDELIVERY_QUEUED")
                                .put("delivery_id", delivery.deliveryId()));
                    }
                }));
    }
}
