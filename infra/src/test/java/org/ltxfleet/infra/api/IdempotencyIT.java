package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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

    @Test
    void anEmptyOrBlankKeyIsRefusedNamingTheHeader() throws Exception {
        for (String blank : List.of("", "   ")) {
            var reply = submit(stack.gatewayUrl(), blank, GatewayIT.VALID);
            assertThat(reply.statusCode()).as("Idempotency-Key: '%s' → %s", blank, reply.body()).isEqualTo(400);
            assertThat(reply.body()).contains("Idempotency-Key");
        }
    }

    @Test
    void aReplayWithAnotherWebhookPriorityOrTimeoutIsRefused() throws Exception {
        String idempotencyKey = "idem-" + UUID.randomUUID();
        var first = send(stack.gatewayUrl(), idempotencyKey, "https://example.com/first", Map.of());
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        String id = Json.readTree(first.body().getBytes()).get("request_id").asText();
        var same = send(stack.gatewayUrl(), idempotencyKey, "https://example.com/first", Map.of());
        assertThat(Json.readTree(same.body().getBytes()).get("request_id").asText()).isEqualTo(id);

        for (var other : List.of(
                send(stack.gatewayUrl(), idempotencyKey, "https://example.com/second", Map.of()),
                send(stack.gatewayUrl(), idempotencyKey, null, Map.of()),
                send(stack.gatewayUrl(), idempotencyKey, "https://example.com/first", Map.of("x-fal-queue-priority", "low")),
                send(stack.gatewayUrl(), idempotencyKey, "https://example.com/first", Map.of("X-Fal-Request-Timeout", "60")))) {
            assertThat(other.statusCode()).as(other.body()).isEqualTo(422);
            var detail = Json.readTree(other.body().getBytes()).get("detail").get(0);
            assertThat(detail.get("type").asText()).isEqualTo("idempotency_key_reused");
            assertThat(detail.get("loc").get(1).asText()).isEqualTo("Idempotency-Key");
        }
        assertThat(webhookOf(id)).as("the first submit's webhook stays").isEqualTo("https://example.com/first");
    }

    @Test
    void concurrentSubmitsWithOneKeyAndDifferentWebhooksKeepTheFirstAccepted() throws Exception {
        String idempotencyKey = "idem-" + UUID.randomUUID();
        var go = new CountDownLatch(1);
        var replies = new ArrayList<Future<HttpResponse<String>>>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 10; i++) {
                String hook = "https://example.com/hook-" + i;
                replies.add(threads.submit(() -> {
                    go.await();
                    return send(stack.gatewayUrl(), idempotencyKey, hook, Map.of());
                }));
            }
            go.countDown();
        }
        var accepted = new ArrayList<Integer>();
        String id = null;
        for (int i = 0; i < replies.size(); i++) {
            var reply = replies.get(i).get();
            assertThat(reply.statusCode()).as(reply.body()).isIn(200, 422);
            if (reply.statusCode() == 200) {
                accepted.add(i);
                id = Json.readTree(reply.body().getBytes()).get("request_id").asText();
            }
        }
        assertThat(accepted).as("only the submit whose webhook the job kept is accepted").hasSize(1);
        assertThat(webhookOf(id)).isEqualTo("https://example.com/hook-" + accepted.get(0));
    }

    private static HttpResponse<String> send(URI gateway, String idempotencyKey, String webhook,
                                             Map<String, String> headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(gateway + "/" + GatewaySettings.ENDPOINT_ID
                        + (webhook == null ? "" : "?fal_webhook=" + webhook)))
                .header("Authorization", "Key " + stack.apiKey()).header("Idempotency-Key", idempotencyKey);
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.POST(HttpRequest.BodyPublishers.ofString(GatewayIT.VALID)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String webhookOf(String requestId) throws Exception {
        var reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl()
                        + GatewaySettings.APP_PATH + "/requests/" + requestId + "/webhooks"))
                .header("Authorization", "Key " + stack.apiKey()).build(), HttpResponse.BodyHandlers.ofString());
        return Json.readTree(reply.body().getBytes()).get("webhook_url").asText();
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
