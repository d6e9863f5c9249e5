package org.ltxfleet.common.health;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.LoopHealth;

/**
 * A worker's probes on a port of its own: {@code GET /health/live} (200 unless a loop failed
 * fatally) and {@code GET /health/ready} (200 while every loop polls or is starting), each with the
 * loops' states, as the gateway answers them; with metrics, {@code GET /metrics} for Prometheus. The JDK's own HTTP server: two read-only routes need
 * no framework, and workers serve no public API.
 */
public final class HealthServer implements AutoCloseable {

    /** Liveness: 200 unless a loop failed for good (restart the process). */
    public static final String LIVE_PATH = "/health/live";
    /** Readiness: 200 while every loop polls (route work and traffic here). */
    public static final String READY_PATH = "/health/ready";


    private final HttpServer server;

    private HealthServer(HttpServer server) {
        this.server = server;
    }

    /** Serves the loops' health on {@code port} (0: any free port) of every interface. */
    public static HealthServer start(int port, Supplier<List<LoopHealth>> loops) {
        return start(port, loops, null);
    }

    /** Also serves {@code metrics} at {@code GET /metrics} (Prometheus text) when it is not null. */
    public static HealthServer start(int port, Supplier<List<LoopHealth>> loops, Supplier<String> metrics) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
            serve(server, LIVE_PATH, () -> health(loops.get(), LoopHealth::alive));
            serve(server, READY_PATH, () -> health(loops.get(), LoopHealth::healthy));
            if (metrics != null) {
                serve(server, "/metrics", () -> new Reply(200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.get().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            server.start();
            return new HealthServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve health on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** One answer: status, type and body. */
    private record Reply(int status, String contentType, byte[] body) {
    }

    /** Answers GET on {@code path} with what {@code reply} makes; other methods get 405. */
    private static void serve(HttpServer server, String path, Supplier<Reply> reply) {
        server.createContext(path, exchange -> {
            try (exchange) {
                if (!"GET".equals(exchange.getRequestMethod())) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                Reply answer = reply.get();
                exchange.getResponseHeaders().set("Content-Type", answer.contentType());
                exchange.sendResponseHeaders(answer.status(), answer.body().length);
                exchange.getResponseBody().write(answer.body());
            }
        });
    }

    private static Reply health(List<LoopHealth> loops, Predicate<LoopHealth> good) {
        boolean up = loops.stream().allMatch(good);
        ObjectNode body = Json.object().put("status", up ? "UP" : "DOWN");
        body.set("loops", describe(loops));
        return new Reply(up ? 200 : 503, "application/json", Json.toBytes(body));
    }

    /** {@code {name: state}}, with the last error of a loop that is not up. */
    public static ObjectNode describe(List<LoopHealth> loops) {
        ObjectNode states = Json.object();
        for (LoopHealth loop : loops) {
            states.put(loop.name(), loop.error() == null ? loop.state().name() : loop.state() + ": " + loop.error());
        }
        return states;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
