package org.ltxfleet.common.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.LoopHealth;
import org.ltxfleet.common.kafka.LoopHealth.State;

class HealthServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void probesFollowTheLoopsStates() throws Exception {
        var loops = new CopyOnWriteArrayList<>(List.of(loop("stage", State.UP, null), loop("control", State.STARTING, null)));
        try (var server = HealthServer.start(0, () -> List.copyOf(loops))) {
            assertThat(get(server, "/health/live").statusCode()).isEqualTo(200);
            var ready = get(server, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(Json.readTree(ready.body().getBytes()).get("loops").get("control").asText()).isEqualTo("STARTING");

            loops.set(1, loop("control", State.RECOVERING, "broker unreachable"));
            assertThat(get(server, "/health/live").statusCode()).as("recovering is alive").isEqualTo(200);
            ready = get(server, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(Json.readTree(ready.body().getBytes()).get("loops").get("control").asText())
                    .isEqualTo("RECOVERING: broker unreachable");

            loops.set(0, loop("stage", State.FAILED, "authentication failed"));
            var live = get(server, "/health/live");
            assertThat(live.statusCode()).isEqualTo(503);
            assertThat(Json.readTree(live.body().getBytes()).get("status").asText()).isEqualTo("DOWN");
        }
    }

    @Test
    void servesTheWorkersMetricsForPrometheus() throws Exception {
        try (var metrics = new WorkerMetrics("train");
             var server = HealthServer.start(0, List::of, metrics::scrape)) {
            metrics.attempt("done", 2_000_000_000L);
            metrics.eventWritten(org.ltxfleet.common.event.JobEvent.of("r1", "k1",
                    org.ltxfleet.common.event.EventType.COMPLETED, "test", Json.object()));
            var scraped = get(server, "/metrics");
            assertThat(scraped.statusCode()).isEqualTo(200);
            assertThat(scraped.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            assertThat(scraped.body()).contains("jvm_memory_used_bytes{")
                    .contains("fleet_worker_events_total{stage=\"train\",type=\"job.completed\"} 1.0")
                    .contains("fleet_worker_job_attempt_seconds_sum{result=\"done\",stage=\"train\"} 2.0");
            metrics.close(); // a worker may be closed twice (its stop, then its shutdown hook)
        }
        try (var server = HealthServer.start(0, List::of)) {
            assertThat(get(server, "/metrics").statusCode()).as("no metrics given").isEqualTo(404);
        }
    }

    @Test
    void onlyGetIsAnswered() throws Exception {
        try (var server = HealthServer.start(0, List::of)) {
            var post = http.send(HttpRequest.newBuilder(uri(server, "/health/ready"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }

    private static LoopHealth loop(String name, State state, String error) {
        return new LoopHealth(name, state, error, Instant.now());
    }

    private HttpResponse<String> get(HealthServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(server, path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(HealthServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
