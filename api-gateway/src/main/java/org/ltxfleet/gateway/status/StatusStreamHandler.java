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
import org.ltxfleet.gateway.http.Replies;
import org.ltxfleet.gateway.http.RequestUrls;
import org.ltxfleet.gateway.projection.JobSnapshot;
import org.ltxfleet.gateway.projection.LogLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET …/requests/{id}/status/stream}: server-sent events of the same status objects as the
 * status call, one per change, closed after the COMPLETED one. Each event carries only the log
 * lines that are new since the previous event, because fal's client appends every event's logs to
 * what it already has. Event ids are {@code <version>.<log count>}: a client that reconnects with
 * {@code Last-Event-ID} resumes where it was, without repeated lines. A comment line every 10 s
 * keeps proxies from closing an idle stream.
 */
public final class StatusStreamHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StatusStreamHandler.class);
    private static final long REFRESH_MS = 1000;
    private static final long KEEPALIVE_MS = 10_000;

    private final GatewayServices services;

    /** A handler over the gateway's services. */
    public StatusStreamHandler(GatewayServices services) {
        this.services = services;
    }

    /** Opens one stream. */
    public void handle(RoutingContext ctx) {
        StatusHandler.withJob(ctx, services, job -> open(ctx, job));
    }

    private void open(RoutingContext ctx, JobSnapshot job) {
        Optional<OpenStreams.Slot> slot = services.streams().open(AuthHandler.keyId(ctx));
        if (slot.isEmpty()) {
            Replies.error(ctx, 429, "Too many open status streams for this API key (at most "
                    + services.streams().perKey() + "); close one, or poll the status instead");
            return;
        }
        HttpServerResponse response = ctx.response();
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        new Stream(ctx, job, StatusHandler.wantsLogs(ctx), slot.get()).start();
    }

    /**
     * One open stream; all its state is touched on its own Vert.x context only. Whatever ends it
     * (the job's end, the client leaving, a failure) releases its timer, listener and slot once.
     */
    private final class Stream {
        private final RoutingContext ctx;
        private final Context context;
        private final boolean withLogs;
        private final RequestUrls urls;
        private long sentVersion = -1;
        private int sentPosition = -1;
        private int sentLogs;
        private long lastWrite = System.currentTimeMillis();
        private final OpenStreams.Slot slot;
        /** The job when the stream opened: what an archived job (gone from the projection) is answered with. */
        private final JobSnapshot first;
        private Runnable unsubscribe = () -> { };
        private long timer = -1;
        private boolean stopped;

        Stream(RoutingContext ctx, JobSnapshot first, boolean withLogs, OpenStreams.Slot slot) {
            this.ctx = ctx;
            this.first = first;
            this.slot = slot;
            this.context = ctx.vertx().getOrCreateContext();
            this.withLogs = withLogs;
            this.urls = RequestUrls.of(ctx, services.settings().publicBase(), GatewaySettings.APP_PATH,
                    first.requestId());
        }

        void start() {
            ctx.response().closeHandler(v -> stop());
            ctx.response().exceptionHandler(e -> stop());
            resumeFrom(ctx.request().getHeader("Last-Event-ID"));
            String id = ctx.pathParam("id");
            unsubscribe = services.projection().subscribe(id, snapshot -> context.runOnContext(v -> guarded(() -> send(snapshot))));
            timer = ctx.vertx().setPeriodic(REFRESH_MS, t -> guarded(this::refresh));
            guarded(this::refresh);
        }

        /** Runs a step of the stream; a failure ends the stream (the client may reconnect) instead of leaking it. */
        private void guarded(Runnable step) {
            if (stopped) {
                return;
            }
            try {
                step.run();
            } catch (RuntimeException e) {
                LOG.warn("status stream of {} failed; closing it: {}", ctx.pathParam("id"), e.toString());
                finish();
            }
        }

        private void resumeFrom(String lastEventId) {
            if (lastEventId == null) {
                return;
            }
            String[] parts = lastEventId.trim().split("\\.");
            try {
                if (parts.length == 2) {
                    long version = Long.parseLong(parts[0]);
                    int logs = Integer.parseInt(parts[1]);
                    if (version >= 0 && logs >= 0) {
                        sentVersion = version;
                        sentLogs = logs;
                    }
                }
            } catch (NumberFormatException e) {
                // not one of our ids: start from the beginning
            }
        }

        /** Re-reads the job: catches changes made before the subscription and queue moves. */
        private void refresh() {
            send(services.projection().find(ctx.pathParam("id"), AuthHandler.keyId(ctx)).orElse(first));
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
                    finish(); // a resumed client has already seen the end
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
                finish();
            }
        }

        private void write(String chunk) {
            lastWrite = System.currentTimeMillis();
            ctx.response().write(chunk);
        }

        /** Ends the response, then releases the stream. */
        private void finish() {
            stop();
            try {
                if (!ctx.response().ended()) {
                    ctx.response().end();
                }
            } catch (IllegalStateException closed) {
                // the client left first
            }
        }

        private void stop() {
            if (stopped) {
                return;
            }
            stopped = true;
            unsubscribe.run();
            if (timer >= 0) {
                ctx.vertx().cancelTimer(timer);
            }
            slot.close();
        }
    }
}
