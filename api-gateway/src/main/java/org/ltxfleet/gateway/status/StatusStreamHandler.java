package org.ltxfleet.gateway.status;

import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.gateway.GatewayServices;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.gateway.auth.AuthHandler;
import org.ltxfleet.gateway.http.RequestUrls;
import org.ltxfleet.gateway.projection.JobSnapshot;
import org.ltxfleet.gateway.projection.LogLine;

/**
 * {@code GET …/requests/{id}/status/stream}: server-sent events of the same status objects as the
 * status call, one per change, closed after the COMPLETED one. Each event carries only the log
 * lines that are new since the previous event, because fal's client appends every event's logs to
 * what it already has. Event ids are {@code <version>.<log count>}: a client that reconnects with
 * {@code Last-Event-ID} resumes where it was, without repeated lines. A comment line every 10 s
 * keeps proxies from closing an idle stream.
 */
public final class StatusStreamHandler {

    private static final long REFRESH_MS = 1000;
    private static final long KEEPALIVE_MS = 10_000;

    private final GatewayServices services;

    /** A handler over the gateway's services. */
    public StatusStreamHandler(GatewayServices services) {
        this.services = services;
    }

    /** Opens one stream. */
    public void handle(RoutingContext ctx) {
        Optional<JobSnapshot> job = StatusHandler.findJob(ctx, services);
        if (job.isEmpty()) {
            return;
        }
        HttpServerResponse response = ctx.response();
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        new Stream(ctx, job.get(), StatusHandler.wantsLogs(ctx)).start();
    }

    /** One open stream; all its state is touched on its own Vert.x context only. */
    private final class Stream {
        private final RoutingContext ctx;
        private final Context context;
        private final boolean withLogs;
        private final RequestUrls urls;
        private long sentVersion = -1;
        private int sentPosition = -1;
        private int sentLogs;
        private long lastWrite = System.currentTimeMillis();
        private Runnable unsubscribe = () -> { };
        private long timer;

        Stream(RoutingContext ctx, JobSnapshot first, boolean withLogs) {
            this.ctx = ctx;
            this.context = ctx.vertx().getOrCreateContext();
            this.withLogs = withLogs;
            this.urls = RequestUrls.of(ctx, services.settings().publicUrl(), GatewaySettings.APP_PATH,
                    first.requestId());
        }

        void start() {
            resumeFrom(ctx.request().getHeader("Last-Event-ID"));
            String id = ctx.pathParam("id");
            unsubscribe = services.projection().subscribe(id, snapshot -> context.runOnContext(v -> send(snapshot)));
            timer = ctx.vertx().setPeriodic(REFRESH_MS, t -> refresh());
            ctx.response().closeHandler(v -> stop());
            refresh();
        }

        private void resumeFrom(String lastEventId) {
            if (lastEventId == null) {
                return;
            }
            String[] parts = lastEventId.trim().split("\\.");
            try {
                if (parts.length == 2) {
                    sentVersion = Long.parseLong(parts[0]);
                    sentLogs = Integer.parseInt(parts[1]);
                }
            } catch (NumberFormatException e) {
                // not one of our ids: start from the beginning
            }
        }

        /** Re-reads the job: catches changes made before the subscription and queue moves. */
        private void refresh() {
            services.projection().find(ctx.pathParam("id"), AuthHandler.keyId(ctx)).ifPresent(this::send);
            if (!ctx.response().ended() && System.currentTimeMillis() - lastWrite > KEEPALIVE_MS) {
                write(": keep-alive\n\n");
            }
        }

        private void send(JobSnapshot snapshot) {
            if (ctx.response().ended()) {
                return;
            }
            int position = services.projection().queuePosition(snapshot.requestId());
            if (snapshot.version() <= sentVersion && position == sentPosition) {
                if (snapshot.phase().terminal()) {
                    // A resumed client has already seen the end.
                    stop();
                    ctx.response().end();
                }
                return;
            }
            List<LogLine> fresh = null;
            if (withLogs) {
                List<LogLine> all = snapshot.logs();
                fresh = all.subList(Math.min(sentLogs, all.size()), all.size());
                sentLogs = all.size();
            }
            sentVersion = Math.max(sentVersion, snapshot.version());
            sentPosition = position;
            var body = StatusView.render(snapshot, urls, position, fresh);
            write("id: " + snapshot.version() + "." + sentLogs + "\nevent: status\ndata: " + Json.toString(body)
                    + "\n\n");
            if (snapshot.phase().terminal()) {
                stop();
                ctx.response().end();
            }
        }

        private void write(String chunk) {
            lastWrite = System.currentTimeMillis();
            ctx.response().write(chunk);
        }

        private void stop() {
            unsubscribe.run();
            ctx.vertx().cancelTimer(timer);
        }
    }
}
