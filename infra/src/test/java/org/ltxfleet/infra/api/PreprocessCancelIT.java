package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.infra.client.FleetClient;
import org.ltxfleet.infra.stack.FleetStack;

/**
 * A cancel reaches a job the preprocess worker is already working on: a download that would take
 * hours stops within seconds, the job ends CANCELED and nothing is billed.
 */
@CpuBound(seconds = 5)
class PreprocessCancelIT {

    private static HttpServer slowServer;

    @BeforeAll
    static void startSlowServer() throws Exception {
        slowServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slowServer.setExecutor(Executors.newCachedThreadPool());
        // A 100 MB "zip" at 10 bytes a second: never done, never stalled.
        slowServer.createContext("/slow.zip", exchange -> {
            exchange.sendResponseHeaders(200, 100_000_000L);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 600; i++) {
                    out.write("PK........".getBytes());
                    out.flush();
                    Thread.sleep(1000);
                }
            } catch (InterruptedException | java.io.IOException e) {
                // the worker hung up, as it should once canceled
            }
        });
        slowServer.start();
    }

    @AfterAll
    static void stopSlowServer() {
        slowServer.stop(0);
    }

    @Test
    void aCancelStopsADownloadInProgress() throws Exception {
        FleetStack stack = TestStacks.withWorkers();
        FleetClient client = TestStacks.client(stack);
        int billedBefore = TestStacks.billedRecently(stack);
        String url = "http://127.0.0.1:" + slowServer.getAddress().getPort() + "/slow.zip";
        String id = client.submit(Json.toString(TestStacks.jobInput(url, 25, 100))).body().get("request_id").asText();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> client.status(id, true).body().path("logs").toString(),
                        logs -> logs.contains("downloading training_data_url"));

        assertThat(client.cancel(id).status()).isEqualTo(202);
        // The download alone would take ten minutes; the cancel has to cut it short.
        JsonNode status = TestStacks.awaitOutcome(client, id, Duration.ofSeconds(30));

        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("CANCELED");
        assertThat(client.result(id).status()).isEqualTo(499);
        assertThat(TestStacks.billedRecently(stack)).isEqualTo(billedBefore);
    }
}
