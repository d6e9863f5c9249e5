package org.ltxfleet.gateway.status;

import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.ltxfleet.gateway.GatewayServices;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.gateway.auth.AuthHandler;
import org.ltxfleet.gateway.http.Replies;
import org.ltxfleet.gateway.http.RequestUrls;
import org.ltxfleet.gateway.projection.JobSnapshot;

/** {@code GET …/requests/{id}/status[?logs=1]}: 202 while queued or running, 200 once completed. */
public final class StatusHandler {

    private final GatewayServices services;

    /** A handler over the gateway's services. */
    public StatusHandler(GatewayServices services) {
        this.services = services;
    }

    /** Handles one status call. */
    public void handle(RoutingContext ctx) {
        Optional<JobSnapshot> job = findJob(ctx, services);
        if (job.isEmpty()) {
            return;
        }
        JobSnapshot snapshot = job.get();
        var urls = RequestUrls.of(ctx, services.settings().publicUrl(), GatewaySettings.APP_PATH,
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

    /** The caller's job named in the path, or a 404 already sent (unknown ids and other keys' jobs alike). */
    public static Optional<JobSnapshot> findJob(RoutingContext ctx, GatewayServices services) {
        Optional<JobSnapshot> job = services.projection().find(ctx.pathParam("id"), AuthHandler.keyId(ctx));
        if (job.isEmpty()) {
            Replies.error(ctx, 404, "Request not found");
        }
        return job;
    }
}
