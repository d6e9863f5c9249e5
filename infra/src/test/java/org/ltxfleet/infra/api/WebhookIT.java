package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.gateway.Gateway;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.infra.client.FleetClient;
import org.ltxfleet.infra.stack.FleetStack;

/**
 * Webhooks against a real HTTP receiver on loopback that verifies every signature on its own,
 * with the JDK's Ed25519 and the public keys from the gateway's JWKS endpoint.
 */
class WebhookIT {

    /** Retries every ~300 ms, given up after 3 s: the real defaults (seconds to hours) scaled down. */
    static final String SETTINGS = "webhook.retry.delays.ms=300,300,300,300,300\nwebhook.window.ms=3000\n"
            + "webhook.timeout.ms=2000\n";

    private static FleetStack stack;
    private static TestStacks.Scripted scripted;
    private static FleetClient client;

    @BeforeAll
    static void start() throws Exception {
        scripted = TestStacks.startScripted("fleet-it-webhooks", SETTINGS);
        stack = scripted.stack();
        client = TestStacks.client(stack);
    }

    @AfterAll
    static void stop() {
        scripted.close();
    }

    private static String submit(URI webhook, String trigger) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/" + GatewaySettings.ENDPOINT_ID
                        + "?fal_webhook=" + webhook))
                .header("Authorization", "Key " + stack.apiKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"training_data_url\":\"https://example.com/c.zip\","
                        + "\"trigger_phrase\":\"" + trigger + "\"}")).build();
        var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.readTree(response.body().getBytes()).get("request_id").asText();
    }

    @Test
    void completedJobDeliversOnceWithValidSignatures() throws Exception {
        try (var receiver = new WebhookReceiver()) {
            String id = submit(receiver.url("/hook"), "ok");
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.receivedFor(id).size() == 1);
            Thread.sleep(1500);
            assertThat(receiver.receivedFor(id)).hasSize(1);
            WebhookReceiver.Received hook = receiver.receivedFor(id).get(0);
            verifyFalSignature(hook);
            verifyStandardSignature(hook);
            JsonNode body = Json.readTree(hook.body());
            assertThat(body.get("status").asText()).isEqualTo("OK");
            assertThat(body.get("request_id").asText()).isEqualTo(id);
            assertThat(body.get("payload").get("lora_file").get("file_name").asText()).isEqualTo("lora.safetensors");
            // The output's location was signed into a download link when the webhook was rendered.
            String link = body.get("payload").get("lora_file").get("url").asText();
            assertThat(link).startsWith("http").contains("X-Amz-Signature=");
            assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(link)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body()).isEqualTo(ScriptedWorker.loraBytes(id));
            assertThat(hook.header("X-Fal-Webhook-User-Id")).isEqualTo(stack.apiKey().split(":")[0]);
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(stack.gatewayMetricsUrl())
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).containsPattern("fleet_gateway_webhook_attempts_total\\{outcome=\"delivered\"} [1-9]");
        }
    }

    @Test
    void failedJobDeliversOnceAsAnError() throws Exception {
        try (var receiver = new WebhookReceiver()) {
            String id = submit(receiver.url("/hook"), "fail");
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.receivedFor(id).size() == 1);
            Thread.sleep(1500);
            assertThat(receiver.receivedFor(id)).hasSize(1);
            var hook = receiver.receivedFor(id).get(0);
            verifyFalSignature(hook);
            JsonNode body = Json.readTree(hook.body());
            assertThat(body.get("status").asText()).isEqualTo("ERROR");
            assertThat(body.get("error").asText()).isEqualTo("Invalid status code: 422");
            assertThat(body.get("payload").get("detail").asText()).isEqualTo("no usable training data");
        }
    }

    @Test
    void serverErrorThenSuccessIsDeliveredWithTheSameDeliveryId() throws Exception {
        try (var receiver = new WebhookReceiver().answer(500)) {
            String id = submit(receiver.url("/flaky"), "ok");
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.receivedFor(id).size() == 2);
            List<WebhookReceiver.Received> attempts = receiver.receivedFor(id);
            assertThat(attempts.get(0).header("webhook-id")).isEqualTo(attempts.get(1).header("webhook-id"));
            assertThat(attempts.get(0).body()).isEqualTo(attempts.get(1).body());
            verifyFalSignature(attempts.get(1));
            JsonNode listed = awaitAttempts(id, 2);
            assertThat(listed.get("attempts")).extracting(a -> a.get("outcome").asText())
                    .containsExactly("retrying", "delivered");
            assertThat(listed.get("attempts").get(0).get("status_code").asInt()).isEqualTo(500);
        }
    }

    @Test
    void deadReceiverIsDeadLetteredAndRedeliveryWorks() throws Exception {
        try (var receiver = new WebhookReceiver().byDefault(503)) {
            String id = submit(receiver.url("/down"), "ok");
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> lastOutcome(id).equals("retrying"));
            assertThat(redeliver(id).statusCode()).as("while retries are pending").isEqualTo(409);
            await().atMost(Duration.ofSeconds(30)).until(() -> lastOutcome(id).equals("dead_lettered"));
            int attempts = receiver.receivedFor(id).size();
            assertThat(attempts).isGreaterThan(2);

            receiver.byDefault(200);
            assertThat(redeliver(id).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> lastOutcome(id).equals("delivered"));
            var all = receiver.receivedFor(id);
            assertThat(all.get(all.size() - 1).header("webhook-id")).isEqualTo(all.get(0).header("webhook-id"));
        }
    }

    @Test
    void concurrentRedeliveriesOfOneJobQueueOneDelivery() throws Exception {
        try (var receiver = new WebhookReceiver()) {
            String id = submit(receiver.url("/once"), "ok");
            await().atMost(Duration.ofSeconds(20)).until(() -> lastOutcome(id).equals("delivered"));
            var replies = new ArrayList<java.util.concurrent.CompletableFuture<Integer>>();
            var go = new java.util.concurrent.CountDownLatch(1);
            try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 10; i++) {
                    replies.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        try {
                            go.await();
                            return redeliver(id).statusCode();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, threads));
                }
                go.countDown();
            }
            List<Integer> codes = replies.stream().map(java.util.concurrent.CompletableFuture::join).toList();
            assertThat(codes).as("one redelivery queued, the others told one is pending")
                    .containsOnly(202, 409).filteredOn(c -> c == 202).hasSize(1);
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.receivedFor(id).size() == 2);
            Thread.sleep(1500);
            assertThat(receiver.receivedFor(id)).as("the first delivery and one redelivery").hasSize(2);

            // Two calls one after the other: the second finds the first still pending.
            var first = redeliver(id);
            var second = redeliver(id);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
            assertThat(second.statusCode()).as(second.body()).isEqualTo(409);
            assertThat(Json.readTree(second.body().getBytes()).get("detail").asText()).contains("pending");
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.receivedFor(id).size() == 3);
            Thread.sleep(1500);
            assertThat(receiver.receivedFor(id)).hasSize(3);
        }
    }

    private static HttpResponse<String> redeliver(String id) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl()
                        + GatewaySettings.APP_PATH + "/requests/" + id + "/webhooks/redeliver"))
                .header("Authorization", "Key " + stack.apiKey()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void receiverAnswering410StopsRetries() throws Exception {
        try (var receiver = new WebhookReceiver().byDefault(410)) {
            String id = submit(receiver.url("/gone"), "ok");
            await().atMost(Duration.ofSeconds(20)).until(() -> lastOutcome(id).equals("gone"));
            Thread.sleep(1000);
            assertThat(receiver.receivedFor(id)).hasSize(1);
        }
    }

    @Test
    void retriesContinueAfterTheGatewayRestarts() throws Exception {
        try (var receiver = new WebhookReceiver().answer(500);
             var scriptedOwn = TestStacks.startScripted("fleet-it-webhook-restart",
                     "webhook.retry.delays.ms=1500,1500,1500,1500,1500\n")) {
            FleetStack own = scriptedOwn.stack();
            var request = HttpRequest.newBuilder(URI.create(own.gatewayUrl() + "/" + GatewaySettings.ENDPOINT_ID
                            + "?fal_webhook=" + receiver.url("/restart")))
                    .header("Authorization", "Key " + own.apiKey()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"training_data_url\":\"https://e.com/c.zip\"}")).build();
            String id = Json.readTree(HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString())
                    .body().getBytes()).get("request_id").asText();
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.receivedFor(id).size() == 1);
            own.gateway().close();
            try (Gateway restarted = Gateway.start(own.config().with("gateway.port", "0"))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> receiver.receivedFor(id).size() == 2);
                var attempts = receiver.receivedFor(id);
                assertThat(attempts.get(1).header("webhook-id")).isEqualTo(attempts.get(0).header("webhook-id"));
                verifyFalSignature(attempts.get(1), own.gatewayUrl().toString().replace(
                        String.valueOf(own.gatewayUrl().getPort()), String.valueOf(restarted.port())));
            }
        }
    }

    private static String lastOutcome(String id) throws Exception {
        JsonNode attempts = listAttempts(id).get("attempts");
        return attempts.isEmpty() ? "" : attempts.get(attempts.size() - 1).get("outcome").asText();
    }

    private static JsonNode awaitAttempts(String id, int count) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> listAttempts(id),
                body -> body.get("attempts").size() >= count);
    }

    private static JsonNode listAttempts(String id) throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl()
                        + GatewaySettings.APP_PATH + "/requests/" + id + "/webhooks"))
                .header("Authorization", "Key " + stack.apiKey()).build(), HttpResponse.BodyHandlers.ofString());
        return Json.readTree(response.body().getBytes());
    }

    private static void verifyFalSignature(WebhookReceiver.Received hook) throws Exception {
        verifyFalSignature(hook, stack.gatewayUrl().toString());
    }

    /** fal's scheme, checked as a receiver would: any key of the JWKS must verify it. */
    private static void verifyFalSignature(WebhookReceiver.Received hook, String gateway) throws Exception {
        long timestamp = Long.parseLong(hook.header("X-Fal-Webhook-Timestamp"));
        assertThat(Math.abs(Instant.now().getEpochSecond() - timestamp)).isLessThan(300);
        String message = hook.header("X-Fal-Webhook-Request-Id") + "\n" + hook.header("X-Fal-Webhook-User-Id") + "\n"
                + timestamp + "\n" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(hook.body()));
        byte[] signature = HexFormat.of().parseHex(hook.header("X-Fal-Webhook-Signature"));
        assertThat(verifiesWithAnyKey(gateway, message.getBytes(StandardCharsets.UTF_8), signature)).isTrue();
        byte[] tampered = message.replace(hook.header("X-Fal-Webhook-Request-Id"), "someone-else")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(verifiesWithAnyKey(gateway, tampered, signature)).isFalse();
    }

    /** Standard Webhooks' asymmetric scheme: {@code v1a,} + base64 Ed25519 of {@code id.timestamp.body}. */
    private static void verifyStandardSignature(WebhookReceiver.Received hook) throws Exception {
        String header = hook.header("webhook-signature");
        assertThat(header).startsWith("v1a,");
        byte[] signed = (hook.header("webhook-id") + "." + hook.header("webhook-timestamp") + "."
                + new String(hook.body(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        assertThat(verifiesWithAnyKey(stack.gatewayUrl().toString(), signed,
                Base64.getDecoder().decode(header.substring(4)))).isTrue();
    }

    private static boolean verifiesWithAnyKey(String gateway, byte[] message, byte[] signature) throws Exception {
        for (PublicKey key : jwks(gateway)) {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            if (verifier.verify(signature)) {
                return true;
            }
        }
        return false;
    }

    private static List<PublicKey> jwks(String gateway) throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway
                + "/.well-known/jwks.json")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        var keys = new ArrayList<PublicKey>();
        // X.509 SubjectPublicKeyInfo prefix for Ed25519 (RFC 8410), then the 32-byte key.
        byte[] prefix = HexFormat.of().parseHex("302a300506032b6570032100");
        for (JsonNode jwk : Json.readTree(response.body().getBytes()).get("keys")) {
            assertThat(jwk.get("kty").asText()).isEqualTo("OKP");
            assertThat(jwk.get("crv").asText()).isEqualTo("Ed25519");
            byte[] raw = Base64.getUrlDecoder().decode(jwk.get("x").asText());
            byte[] der = new byte[prefix.length + raw.length];
            System.arraycopy(prefix, 0, der, 0, prefix.length);
            System.arraycopy(raw, 0, der, prefix.length, raw.length);
            keys.add(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)));
        }
        return keys;
    }
}
