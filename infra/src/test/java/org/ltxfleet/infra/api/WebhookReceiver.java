package org.ltxfleet.infra.api;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real HTTP receiver on loopback: answers with scripted status codes and records every request. */
final class WebhookReceiver implements AutoCloseable {

    /** One received request. */
    record Received(Map<String, List<String>> headers, byte[] body, long receivedAtMillis) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Integer> scripted = new ConcurrentLinkedQueue<>();
    private volatile int defaultStatus = 200;

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body, System.currentTimeMillis()));
            Integer status = scripted.poll();
            exchange.sendResponseHeaders(status == null ? defaultStatus : status, -1);
            exchange.close();
        });
        server.start();
    }

    /** Answers these codes to the next requests, then the default. */
    WebhookReceiver answer(Integer... statuses) {
        scripted.addAll(List.of(statuses));
        return this;
    }

    /** The code answered once the scripted ones are used up. */
    WebhookReceiver byDefault(int status) {
        defaultStatus = status;
        return this;
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    List<Received> received() {
        return received;
    }

    List<Received> receivedFor(String requestId) {
        return received.stream().filter(r -> requestId.equals(r.header("X-Fal-Webhook-Request-Id"))).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
