package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.infra.stack.FleetStack;
import org.ltxfleet.infra.stack.StackOptions;

/** A submit that Kafka did not store must never be answered 200, and a retry must not be refused for it. */
class KafkaDownIT {

    @Test
    void submitAnswers503WithRetryAfterWhenKafkaIsDown() throws Exception {
        Path dir = Files.createTempDirectory("fleet-it-kafka-down");
        Files.writeString(dir.resolve("fleet.properties"), "gateway.submit.timeout.ms=3000\n");
        try (FleetStack stack = TestStacks.start(StackOptions.forTests(dir).withWorkers(false))) {
            var client = TestStacks.client(stack);
            assertThat(client.submit(GatewayIT.VALID).status()).isEqualTo(200);

            stack.kafka().close();
            long start = System.nanoTime();
            var first = submitAsync(stack, "same-key");
            Thread.sleep(500);
            var whileFirstIsPending = submitAsync(stack, "same-key").get(30, TimeUnit.SECONDS);
            var reply = first.get(30, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;

            // A submit with the same key while the first is pending shares its fate: no second record.
            assertThat(whileFirstIsPending.statusCode()).isEqualTo(503);
            assertThat(reply.statusCode()).isEqualTo(503);
            assertThat(reply.headers().firstValue("Retry-After")).isPresent();
            // The producer may have written it before the broker went: an unknown outcome says so.
            assertThat(reply.body()).contains("may have been accepted").contains("same Idempotency-Key")
                    .doesNotContain("not accepted");
            assertThat(seconds).as("bounded by gateway.submit.timeout.ms").isLessThan(20);
            // Without a key a retry could make a second job: the answer says how to avoid that.
            var keyless = client.submit(GatewayIT.VALID);
            assertThat(keyless.status()).isEqualTo(503);
            assertThat(keyless.rawBody()).contains("may have been accepted").contains("Idempotency-Key");
            // The failed attempt released its idempotency key: a retry is tried again, not refused.
            assertThat(submitAsync(stack, "same-key").get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
        }
    }

    private static CompletableFuture<HttpResponse<String>> submitAsync(FleetStack stack, String idempotencyKey) {
        var request = HttpRequest.newBuilder(stack.gatewayUrl().resolve("/" + GatewaySettings.ENDPOINT_ID))
                .header("Authorization", "Key " + stack.apiKey()).header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(GatewayIT.VALID)).build();
        return HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }
}
