package org.ltxfleet.gateway.webhook;

import io.vertx.core.Context;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.Records;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.gateway.GatewayServices;
import org.ltxfleet.gateway.http.Replies;
import org.ltxfleet.gateway.projection.JobSnapshot;
import org.ltxfleet.gateway.status.StatusHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET …/requests/{id}/webhooks} lists a job's delivery attempts;
 * {@code POST …/requests/{id}/webhooks/redeliver} sends its webhook again, under the same delivery
 * id and with a fresh retry window, once the delivery before has ended (409 while it is pending,
 * also while an earlier redelivery is queued but not yet attempted: {@link PendingRedeliveries}), at
 * most {@code webhook.redeliver.limit.per.minute} a minute per key ({@link RedeliveryBudget}).
 */
public final class WebhookHandler {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookHandler.class);
    /** How long a queued redelivery may wait for its first attempt before another may be queued. */
    private static final Duration QUEUED_AT_MOST = Duration.ofMinutes(1);

    private final GatewayServices services;
    private final PendingRedeliveries pending;
    private final RedeliveryBudget budget;

    /** A handler over the gateway's services. */
    public WebhookHandler(GatewayServices services) {
        this.services = services;
        // An attempt is listed once it has ended: give it its full timeout on top.
        this.pending = new PendingRedeliveries(QUEUED_AT_MOST.plus(services.webhookSettings().timeout()));
        this.budget = new RedeliveryBudget(services.webhookSettings().redeliveriesPerMinute());
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
        var claim = pending.claim(job.requestId(), attempts.size(), Instant.now());
        if (claim.isEmpty()) {
            alreadyQueued(ctx);
            return;
        }
        ctx.vertx().executeBlocking(() -> markOnce(claim.get()), false).onComplete(marked -> {
            if (marked.succeeded() && !marked.result()) {
                alreadyQueued(ctx); // another gateway queued it: this claim stays, as pending as theirs
            } else if (!budget.tryAcquire(job.keyId())) {
                undo(ctx, claim.get());
                ctx.response().putHeader("Retry-After", Long.toString(RedeliveryBudget.PERIOD.toSeconds()));
                Replies.error(ctx, 429, "This API key has queued " + budget.perMinute() + " webhook redeliveries "
                        + "in the last minute (webhook.redeliver.limit.per.minute); retry after the Retry-After seconds");
            } else {
                send(ctx, job, claim.get());
            }
        });
    }

    private static void alreadyQueued(RoutingContext ctx) {
        Replies.error(ctx, 409, "A redelivery of this webhook is already queued and still pending; redeliver once "
                + "it has ended (GET …/webhooks lists its attempts)");
    }

    /**
     * Creates the claim's marker in the store, so that one gateway of those asked at once redelivers;
     * false when another made it first. A store that cannot be reached leaves this gateway's own claim
     * as the guard: a redelivery is not refused for it.
     */
    private boolean markOnce(PendingRedeliveries.Claim claim) {
        try {
            return services.store().createIfAbsent(pending.markerKey(claim),
                    Json.toBytes(Json.object().put("attempts_seen", claim.attemptsSeen())
                            .put("queued_at", claim.at().toString())), "application/json");
        } catch (RuntimeException e) {
            LOG.warn("cannot mark the redelivery of {} in the store ({}); only this gateway's guard holds",
                    claim.requestId(), e.toString());
            return true;
        }
    }

    /** Gives a claim back after its redelivery was not queued, so the next call may queue one. */
    private void undo(RoutingContext ctx, PendingRedeliveries.Claim claim) {
        pending.release(claim);
        ctx.vertx().executeBlocking(() -> {
            services.store().delete(pending.markerKey(claim));
            return null;
        }, false).onFailure(e -> LOG.warn("cannot remove the redelivery marker of {}: {}; other gateways refuse "
                + "its redelivery for {} s", claim.requestId(), e.toString(), QUEUED_AT_MOST.toSeconds()));
    }

    private void send(RoutingContext ctx, JobSnapshot job, PendingRedeliveries.Claim claim) {
        var delivery = WebhookDispatcher.newDelivery(job, services.outputLinks());
        Context context = ctx.vertx().getOrCreateContext();
        services.publisher().send(Records.webhook(Topics.WEBHOOKS, delivery))
                .whenComplete((ack, error) -> context.runOnContext(v -> {
                    if (error != null) {
                        undo(ctx, claim);
                        ctx.response().putHeader("Retry-After", "5");
                        Replies.error(ctx, 503, "The delivery queue is unavailable; retry later");
                    } else {
                        Replies.json(ctx, 202, Json.object().put("status", "REDELIVERY_QUEUED")
                                .put("delivery_id", delivery.deliveryId()));
                    }
                }));
    }
}
