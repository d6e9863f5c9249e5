package org.ltxfleet.gateway;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.json.JsonProblems;
import org.ltxfleet.common.kafka.LoopHealth;
import org.ltxfleet.gateway.auth.AuthHandler;
import org.ltxfleet.gateway.auth.RateLimits;
import org.ltxfleet.gateway.cancel.CancelHandler;
import org.ltxfleet.gateway.console.ConsoleFiles;
import org.ltxfleet.gateway.console.ConsolePolicy;
import org.ltxfleet.gateway.console.ConsoleRoutes;
import org.ltxfleet.gateway.history.HistoryHandler;
import org.ltxfleet.gateway.http.Replies;
import org.ltxfleet.gateway.ledger.UsageHandler;
import org.ltxfleet.gateway.result.ResultHandler;
import org.ltxfleet.gateway.status.StatusHandler;
import org.ltxfleet.gateway.status.StatusStreamHandler;
import org.ltxfleet.gateway.storage.UploadHandler;
import org.ltxfleet.gateway.storage.UploadTokens;
import org.ltxfleet.gateway.submit.NoFormDecoding;
import org.ltxfleet.gateway.submit.SubmitHandler;
import org.ltxfleet.gateway.webhook.WebhookHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public HTTP API, compatible with fal's queue API. Every route is declared in {@link #start};
 * several instances share the port, one per event loop. {@code /metrics} is not among them: it is
 * served on a port of its own ({@link org.ltxfleet.gateway.health.MetricsServer}).
 */
public final class QueueApiVerticle extends VerticleBase {

    private static final Set<HttpMethod> STANDARD_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
            HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.OPTIONS, HttpMethod.CONNECT, HttpMethod.TRACE);

    private static final Logger LOG = LoggerFactory.getLogger(QueueApiVerticle.class);
    private static final String REQUEST = GatewaySettings.APP_PATH + "/requests/:id";

    private final GatewayServices services;
    private final SubmitHandler submit;
    private final Map<TimerKey, Timer> requestTimers = new HashMap<>();

    /** A verticle over shared services; the submit handler is shared so idempotency spans event loops. */
    public QueueApiVerticle(GatewayServices services, SubmitHandler submit) {
        this.services = services;
        this.submit = submit;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        router.route().handler(this::timeRequest);
        router.get(org.ltxfleet.common.health.HealthServer.LIVE_PATH).handler(this::live);
        router.get(org.ltxfleet.common.health.HealthServer.READY_PATH).handler(this::ready);

        // Every per-request answer names its request, as fal's do, errors included.
        router.routeWithRegex(GatewaySettings.APP_PATH + "/requests/([^/]+)(/.*)?").handler(ctx -> {
            ctx.response().putHeader("x-fal-request-id", ctx.pathParam("param0"));
            ctx.next();
        });
        var auth = new AuthHandler(services.keys(), services.rateLimits(), RateLimits.Budget.CALLS);
        var read = new AuthHandler(services.keys(), services.rateLimits(), RateLimits.Budget.READS);
        var body = BodyHandler.create(false).setBodyLimit(services.settings().bodyLimit());
        // Vert.x wants the body handler before user handlers; the body limit still protects
        // unauthenticated callers.
        router.post("/" + GatewaySettings.ENDPOINT_ID).handler(new NoFormDecoding()).handler(body)
                .handler(auth).handler(submit::handle);
        router.get(REQUEST + "/status").handler(read).handler(new StatusHandler(services)::handle);
        router.get(REQUEST + "/status/stream").handler(read).handler(new StatusStreamHandler(services)::handle);
        router.get(REQUEST).handler(read).handler(new ResultHandler(services)::handle);
        router.put(REQUEST + "/cancel").handler(auth).handler(new CancelHandler(services)::handle);
        var webhooks = new WebhookHandler(services);
        router.get(REQUEST + "/webhooks").handler(read).handler(webhooks::list);
        router.post(REQUEST + "/webhooks/redeliver").handler(auth).handler(webhooks::redeliver);
        router.get("/v1/usage").handler(auth).handler(new UsageHandler(services.ledger())::handle);
        router.get("/v1/requests").handler(read).handler(new HistoryHandler(services)::handle);
        // fal's storage API (fal.storage.upload): initiate with the key; the data itself goes to
        // the returned URLs, which carry their own grant, and streams past any body handler.
        var uploads = new UploadHandler(services, new UploadTokens(services.signingKeys()));
        router.post("/storage/upload/initiate").handler(body).handler(auth).handler(uploads::initiate);
        router.post("/storage/upload/initiate-multipart").handler(body).handler(auth).handler(uploads::initiateMultipart);
        router.put("/storage/upload/object").handler(uploads::putObject);
        router.post("/storage/upload/multipart/complete").handler(body).handler(uploads::complete);
        router.put("/storage/upload/multipart/:part").handler(uploads::putPart);
        router.get("/.well-known/jwks.json").handler(ctx -> Replies.json(ctx, 200, services.signingKeys().jwks()));
        if (services.settings().console()) {
            new ConsoleRoutes(ConsoleFiles.load(), ConsolePolicy.forStore(services.store())).mount(router);
        }

        router.route().failureHandler(this::failure);
        router.errorHandler(404, ctx -> Replies.error(ctx, 404, "Not found: " + ctx.request().path()));
        router.errorHandler(405, ctx -> Replies.error(ctx, 405, "Method " + ctx.request().method()
                + " is not allowed on " + ctx.request().path()));
        return vertx.createHttpServer(new HttpServerOptions()
                        .setHost(services.settings().host())
                        .setPort(services.settings().port())
                        .setCompressionSupported(true))
                .requestHandler(router)
                .listen()
                .map(HttpServer::actualPort);
    }

    /** Alive unless a loop failed for good (the process then exits; an orchestrator restarts it). */
    private void live(RoutingContext ctx) {
        boolean alive = services.loops().all().stream().allMatch(LoopHealth::alive);
        Replies.json(ctx, alive ? 200 : 503, Json.object().put("status", alive ? "UP" : "DOWN")
                .set("loops", services.loops().describe()));
    }

    /** Ready when the projection has caught up, Kafka answers and no loop is failing. */
    private void ready(RoutingContext ctx) {
        boolean projection = services.projectionConsumer().ready();
        boolean kafka = services.kafkaHealth().up();
        boolean loops = services.loops().all().stream().allMatch(LoopHealth::healthy);
        boolean up = projection && kafka && loops;
        var body = Json.object().put("status", up ? "UP" : "DOWN")
                .put("projection_caught_up", projection).put("kafka_reachable", kafka);
        body.set("loops", services.loops().describe());
        Replies.json(ctx, up ? 200 : 503, body);
    }

    private void timeRequest(RoutingContext ctx) {
        long start = System.nanoTime();
        ctx.addEndHandler(v -> requestTimer(ctx).record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
        ctx.next();
    }

    /**
     * The timer of a request's method, route and status, registered once per verticle (its event
     * loop alone touches the map): a registry lookup per request was a measurable share of a
     * submit. Methods outside HTTP's standard ones count as "other", so made-up methods cannot
     * grow the registry without bound.
     */
    private Timer requestTimer(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        String methodName = STANDARD_METHODS.contains(method) ? method.name() : "other";
        String route = ctx.currentRoute() == null || ctx.currentRoute().getPath() == null
                ? "unmatched" : ctx.currentRoute().getPath();
        int status = ctx.response().getStatusCode();
        var key = new TimerKey(methodName, route, status);
        Timer timer = requestTimers.get(key);
        if (timer == null) { // a lookup first: computeIfAbsent's capturing lambda was made for every request
            timer = Timer.builder("fleet_gateway_http_requests").tag("method", methodName).tag("route", route)
                    .tag("status", Integer.toString(status)).register(services.metrics());
            requestTimers.put(key, timer);
        }
        return timer;
    }

    /** A request timer's tags; a record, so finding the timer builds no string per request. */
    private record TimerKey(String method, String route, int status) {
    }

    private void failure(RoutingContext ctx) {
        Throwable error = ctx.failure();
        int status = ctx.statusCode();
        if (error instanceof DecodeException) {
            Replies.error(ctx, 400, JsonProblems.describe(error));
        } else if (status == 413) {
            Replies.error(ctx, 413, "Request body is larger than " + services.settings().bodyLimit() + " bytes");
        } else if (status >= 400 && status < 500) {
            // The failure's own message is the framework's, not the client's: log it, answer the status.
            LOG.debug("{} on {} {}", status, ctx.request().method(), ctx.request().path(), error);
            Replies.error(ctx, status, HttpResponseStatus.valueOf(status).reasonPhrase());
        } else {
            LOG.error("unhandled error on {} {}", ctx.request().method(), ctx.request().path(), error);
            Replies.error(ctx, 500, "Internal error; it has been logged");
        }
    }
}
