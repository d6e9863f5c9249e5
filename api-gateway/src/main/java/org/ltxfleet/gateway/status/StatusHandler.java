package org.ltxfleet.gateway.status;

import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.Consumer;
import org.ltxfleet.gateway.GatewayServices;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.gateway.auth.AuthHandler;
import org.ltxfleet.gateway.http.Replies;
import org.ltxfleet.gateway.http.RequestUrls;
import org.ltxfleet.gateway.projection.JobSnapshot;

/** {@code GET …/requests/{id}/status[?logs=1]}: 202 while queued or running, 200 once completed. */
public final class StatusHandler {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StatusHandler.class);

    private final GatewayServices services;

    /** A handler over the gateway's services. */
    public StatusHandler(GatewayServices services) {
        this.services = services;
    }

    /** Handles one status call. */
    public void handle(RoutingContext ctx) {
        withJob(ctx, services, snapshot -> reply(ctx, snapshot));
    }

    private void reply(RoutingContext ctx, JobSnapshot snapshot) {
        var urls = RequestUrls.of(ctx, services.settings().publicBase(), GatewaySettings.APP_PATH,
                snapshot.requestId());
        var body = StatusView.render(snapshot, urls, services.projection().queuePosition(snapshot.requestId()),
                wantsLogs(ctx) ? logsSince(snapshot.logs(), ctx.queryParams().get("since")) : null);
        Replies.json(ctx, StatusView.httpStatus(snapshot), body);
    }

    /** The log lines after a cursor from an earlier answer's {@code logs_cursor}; all of them without one. */
    static java.util.List<org.ltxfleet.gateway.projection.LogLine> logsSince(
            java.util.List<org.ltxfleet.gateway.projection.LogLine> logs, String since) {
        int from = 0;
        if (since != null) {
            try {
                from = Math.max(0, Math.min(Integer.parseInt(since.trim()), logs.size()));
            } catch (NumberFormatException e) {
                from = 0;
            }
        }
        return logs.subList(from, logs.size());
    }

    /** Whether the client asked for logs ({@code logs=1} or {@code logs=true}). */
    static boolean wantsLogs(RoutingContext ctx) {
        String logs = ctx.queryParams().get("logs");
        return "1".equals(logs) || "true".equalsIgnoreCase(logs);
    }

    /**
     * Gives {@code then} the caller's job named in the path: from the projection, or for a job that
     * left its memory from the {@link org.ltxfleet.gateway.projection.JobArchive} (read off the event
     * loop); answers 404 itself for unknown ids and other keys' jobs alike.
     */
    public static void withJob(RoutingContext ctx, GatewayServices services, Consumer<JobSnapshot> then) {
        withJob(ctx, services, then, () -> Replies.error(ctx, 404, "Request not found"));
    }

    /** As {@link #withJob(RoutingContext, GatewayServices, Consumer)}, answering an unknown id with {@code notFound}. */
    public static void withJob(RoutingContext ctx, GatewayServices services, Consumer<JobSnapshot> then,
                               Runnable notFound) {
        String id = ctx.pathParam("id");
        String keyId = AuthHandler.keyId(ctx);
        Optional<JobSnapshot> job = services.projection().find(id, keyId);
        if (job.isPresent()) {
            then.accept(job.get());
            return;
        }
        ctx.vertx().executeBlocking(() -> services.archive().find(id, keyId), false).onComplete(found -> {
            if (ctx.response().ended()) {
                return;
            }
            if (found.succeeded() && found.result().isPresent()) {
                then.accept(found.result().get());
            } else {
                if (found.failed()) {
                    LOG.warn("cannot read the archive of {}: {}", id, found.cause().toString());
                }
                notFound.run();
            }
        });
    }
}
