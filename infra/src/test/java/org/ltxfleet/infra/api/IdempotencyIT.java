package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.gateway.Gateway;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.infra.stack.FleetStack;

/**
 * An {@code Idempotency-Key} holds across gateways: concurrent submits through two gateways on
 * one broker answer one request id, and the key keeps its first body.
 */
@ResourceLock("scripted-stack")
class IdempotencyIT {

    private static FleetStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = TestStacks.scripted();
    }

    @Test
    void fiftyConcurrentSubmitsThroughTwoGatewaysAnswerOneRequestId() throws Exception {
        try (Gateway second = Gateway.start(stack.config().with("gateway.port", "0"))) {
            List<URI> gateways = List.of(stack.gatewayUrl(), URI.create("http://127.0.0.1:" + second.port()));
            String idempotencyKey = "idem-" + UUID.randomUUID();
            var go = new CountDownLatch(1);
            var replies = new ArrayList<Future<HttpResponse<String>>>();
            try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 50; i++) {
                    URI gateway = gateways.get(i % 2);
                    replies.add(threads.submit(() -> {
                        go.await();
                        return submit(gateway, idempotencyKey, GatewayIT.VALID);
                    }));
                }
                go.countDown();
            }
            var ids = new HashSet<String>();
            for (var reply : replies) {
                assertThat(reply.get().statusCode()).as(reply.get().body()).isEqualTo(200);
                ids.add(Json.readTree(reply.get().body().getBytes()).get("request_id").asText());
            }
            assertThat(ids).hasSize(1);
            // At most one record per gateway; whichever came first is the job.
            assertThat(recordsOf(ids.iterator().next())).isBetween(1, 2);

            // Later, through either gateway: the same answer, or 422 for another body.
            for (URI gateway : gateways) {
                var again = submit(gateway, idempotencyKey, GatewayIT.VALID);
                assertThat(Json.readTree(again.body().getBytes()).get("request_id").asText()).isIn(ids);
                var otherBody = submit(gateway, idempotencyKey, GatewayIT.VALID.replace("100", "200"));
                assertThat(otherBody.statusCode()).isEqualTo(422);
                assertThat(otherBody.body()).contains("idempotency_key_reused");
            }
        }
    }

    private static HttpResponse<String> submit(URI gateway, String idempotencyKey, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(gateway + "/" + GatewaySettings.ENDPOINT_ID))
                .header("Authorization", "Key " + stack.apiKey()).header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** How many records the job topics hold for this request id. */
    private static int recordsOf(String requestId) {
        return TopicScan.withKey(stack.kafkaBootstrap(), Topics.jobTopics(), requestId).size();
    }
}
