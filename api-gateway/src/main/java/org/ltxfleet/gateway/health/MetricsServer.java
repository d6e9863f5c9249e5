package org.ltxfleet.gateway.health;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.ltxfleet.common.config.Settings;

/**
 * The gateway's {@code GET /metrics} for Prometheus, on a port of its own ({@code gateway.metrics.port}),
 * not on the API's: the page carries the ledger's billing totals and every route's traffic, which
 * are the operator's to read, and a port of its own can be kept off the ingress and behind a
 * NetworkPolicy while the API port is public.
 */
public final class MetricsServer {

    private MetricsServer() {
    }

    /** Serves {@code registry} on {@code host:port} (0: any free port); completes with the server once it listens. */
    public static Future<HttpServer> start(Vertx vertx, String host, int port, PrometheusMeterRegistry registry) {
        Router router = Router.router(vertx);
        // A scrape renders every meter: off the event loop, which the API's requests share.
        router.get("/metrics").handler(ctx -> vertx.executeBlocking(registry::scrape, false)
                .onSuccess(page -> ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(page))
                .onFailure(ctx::fail));
        var setting = Settings.GATEWAY_METRICS_PORT;
        return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                .requestHandler(router)
                .listen()
                .recover(e -> Future.failedFuture(new IllegalStateException("setting " + setting.key() + " ("
                        + setting.envName() + "): cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(),
                        e)));
    }
}
