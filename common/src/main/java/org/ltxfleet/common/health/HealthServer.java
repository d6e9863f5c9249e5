package org.ltxfleet.common.health;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
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
            server.createContext("/health/live", exchange -> answer(exchange, loops.get(), LoopHealth::alive));
            server.createContext("/health/ready", exchange -> answer(exchange, loops.get(), LoopHealth::healthy));
            if (metrics != null) {
                server.createContext("/metrics", exchange -> scrape(exchange, metrics));
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

    private static void answer(HttpExchange exchange, List<LoopHealth> loops, Predicate<LoopHealth> good)
            throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            boolean up = loops.stream().allMatch(good);
            ObjectNode body = Json.object().put("status", up ? "UP" : "DOWN");
            body.set("loops", describe(loops));
            byte[] bytes = Json.toBytes(body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(up ? 200 : 503, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private static void scrape(HttpExchange exchange, Supplier<String> metrics) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = metrics.get().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
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
