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
                wantsLogs(ctx) ? snapshot.logs() : null);
        Replies.json(ctx, StatusView.httpStatus(snapshot), body);
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
