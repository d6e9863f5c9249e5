package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.infra.stack.FleetStack;
import org.ltxfleet.infra.stack.StackOptions;

/** With no worker taking jobs, the queue is the real backlog and canceling a queued job is immediate. */
class QueueIT {

    @Test
    void queuePositionsFollowTheBacklogAndQueuedJobsCancelAtOnce() throws Exception {
        try (FleetStack stack = idleStack("fleet-it-queue")) {
            var client = TestStacks.client(stack);
            String first = client.submit(GatewayIT.VALID).body().get("request_id").asText();
            var second = client.submit(GatewayIT.VALID);
            var third = client.submit(GatewayIT.VALID);
            assertThat(second.body().get("queue_position").asInt()).isEqualTo(1);
            assertThat(third.body().get("queue_position").asInt()).isEqualTo(2);
            String thirdId = third.body().get("request_id").asText();
            var status = client.status(thirdId, false);
            assertThat(status.status()).isEqualTo(202);
            assertThat(status.body().get("status").asText()).isEqualTo("IN_QUEUE");
            assertThat(status.body().get("queue_position").asInt()).isEqualTo(2);

            assertThat(client.cancel(first).status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> client.status(first, false).status() == 200);
            assertThat(client.status(first, false).body().get("error").asText()).contains("cancelled");
            assertThat(client.status(thirdId, false).body().get("queue_position").asInt()).isEqualTo(1);
        }
    }

    @Test
    void lowPriorityJobsQueueBehindNormalOnes() throws Exception {
        try (FleetStack stack = idleStack("fleet-it-priority")) {
            submit(stack, "normal");
            String low = submit(stack, "low").get("request_id").asText();
            JsonNode normal = submit(stack, "normal");
            assertThat(normal.get("queue_position").asInt()).isEqualTo(1);
            assertThat(TestStacks.client(stack).status(low, false).body().get("queue_position").asInt()).isEqualTo(2);
        }
    }

    @Test
    void aKeyWithTooManyQueuedJobsIsToldToWaitWhileOtherKeysSubmit() throws Exception {
        try (FleetStack stack = idleStack("fleet-it-queue-cap", "gateway.max.queued.per.key=2\n")) {
            var client = TestStacks.client(stack);
            String first = client.submit(GatewayIT.VALID).body().get("request_id").asText();
            assertThat(client.submit(GatewayIT.VALID).status()).isEqualTo(200);
            var refused = client.submit(GatewayIT.VALID);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.body().get("detail").asText()).contains("gateway.max.queued.per.key");
            assertThat(TestStacks.otherClient(stack).submit(GatewayIT.VALID).status()).as("another key").isEqualTo(200);

            assertThat(client.cancel(first).status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> client.submit(GatewayIT.VALID).status() == 200);
        }
    }

    @Test
    void theQueueCapHoldsUnderConcurrentSubmits() throws Exception {
        try (FleetStack stack = idleStack("fleet-it-queue-cap-race", "gateway.max.queued.per.key=3\n")) {
            var go = new java.util.concurrent.CountDownLatch(1);
            var replies = new java.util.ArrayList<java.util.concurrent.CompletableFuture<Integer>>();
            try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 20; i++) {
                    replies.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        try {
                            go.await();
                            var request = HttpRequest.newBuilder(stack.gatewayUrl().resolve("/" + GatewaySettings.ENDPOINT_ID))
                                    .header("Authorization", "Key " + stack.apiKey())
                                    .POST(HttpRequest.BodyPublishers.ofString(GatewayIT.VALID)).build();
                            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, threads));
                }
                go.countDown();
            }
            var codes = replies.stream().map(java.util.concurrent.CompletableFuture::join).toList();
            assertThat(codes).containsOnly(200, 429);
            assertThat(codes).as("accepted of 20 concurrent submits with a cap of 3").filteredOn(c -> c == 200).hasSize(3);
        }
    }

    @Test
    void aKeyPastItsFairShareQueuesBehindOtherKeys() throws Exception {
        try (FleetStack stack = idleStack("fleet-it-fair-share", "gateway.fair.share.per.key=2\n")) {
            var heavy = TestStacks.client(stack);
            var ids = new java.util.ArrayList<String>();
            for (int i = 0; i < 4; i++) {
                var reply = heavy.submit(GatewayIT.VALID);
                assertThat(reply.body().get("queue_position").asInt()).isEqualTo(i);
                ids.add(reply.body().get("request_id").asText());
            }
            var light = TestStacks.otherClient(stack).submit(GatewayIT.VALID);
            assertThat(light.body().get("queue_position").asInt()).as("ahead of the heavy key's overflow").isEqualTo(2);
            assertThat(heavy.status(ids.get(2), false).body().get("queue_position").asInt()).isEqualTo(3);
            // The third and fourth wait on the overflow topic, which workers take only when ltx.jobs is empty.
            for (int i = 0; i < 4; i++) {
                assertThat(TopicScan.withKey(stack.kafkaBootstrap(), org.ltxfleet.common.kafka.Topics.jobTopics(),
                        ids.get(i))).singleElement().extracting(r -> r.topic()).isEqualTo(i < 2
                        ? org.ltxfleet.common.kafka.Topics.JOBS : org.ltxfleet.common.kafka.Topics.JOBS_OVERFLOW);
            }
        }
    }

    @Test
    void workersStartAnotherKeysJobBeforeAKeysOverflow() throws Exception {
        try (var scripted = TestStacks.startScripted("fleet-it-fair-order", "gateway.fair.share.per.key=1\n")) {
            var stack = scripted.stack();
            var heavy = TestStacks.client(stack);
            // Hold the one scripted worker while the queue fills.
            String slow = heavy.submit("{\"training_data_url\":\"https://example.com/c.zip\",\"trigger_phrase\":\"slow\"}")
                    .body().get("request_id").asText();
            await().atMost(Duration.ofSeconds(20)).until(() -> heavy.status(slow, false).body().path("status").asText()
                    .equals("IN_PROGRESS"));
            var heavyIds = new java.util.ArrayList<String>();
            for (int i = 0; i < 3; i++) {
                heavyIds.add(heavy.submit(GatewayIT.VALID).body().get("request_id").asText());
            }
            String light = TestStacks.otherClient(stack).submit(GatewayIT.VALID).body().get("request_id").asText();
            heavy.cancel(slow);
            await().atMost(Duration.ofSeconds(30)).until(() -> heavyIds.stream().allMatch(id -> {
                try {
                    return heavy.status(id, false).status() == 200;
                } catch (Exception e) {
                    return false;
                }
            }));
            java.time.Instant lightStart = startedAt(stack, light);
            assertThat(lightStart).isBefore(startedAt(stack, heavyIds.get(1))).isBefore(startedAt(stack, heavyIds.get(2)));
        }
    }

    private static java.time.Instant startedAt(FleetStack stack, String requestId) {
        return TopicScan.withKey(stack.kafkaBootstrap(), java.util.List.of(org.ltxfleet.common.kafka.Topics.EVENTS),
                        requestId).stream().map(org.ltxfleet.common.kafka.Records::readEvent)
                .filter(e -> e.type() == org.ltxfleet.common.event.EventType.STARTED)
                .map(org.ltxfleet.common.event.JobEvent::time).findFirst().orElseThrow();
    }

    private static FleetStack idleStack(String name) throws Exception {
        return idleStack(name, "");
    }

    private static FleetStack idleStack(String name, String properties) throws Exception {
        var dir = Files.createTempDirectory(name);
        Files.writeString(dir.resolve("fleet.properties"), properties);
        return TestStacks.start(StackOptions.forTests(dir).withWorkers(false));
    }

    private static JsonNode submit(FleetStack stack, String priority) throws Exception {
        var request = HttpRequest.newBuilder(stack.gatewayUrl().resolve("/" + GatewaySettings.ENDPOINT_ID))
                .header("Authorization", "Key " + stack.apiKey()).header("Content-Type", "application/json")
                .header("x-fal-queue-priority", priority)
                .POST(HttpRequest.BodyPublishers.ofString(GatewayIT.VALID)).build();
        var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return Json.readTree(response.body().getBytes());
    }
}
