package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.ltxfleet.gateway.Gateway;
import org.ltxfleet.infra.stack.FleetStack;
import org.ltxfleet.infra.stack.StackOptions;

/** The gateway keeps nothing a restart loses: status and results come back from Kafka. */
class RestartIT {

    @Test
    void restartedGatewayServesEveryJob() throws Exception {
        Path dir = Files.createTempDirectory("fleet-it-restart");
        try (FleetStack stack = TestStacks.start(StackOptions.forTests(dir))) {
            var client = TestStacks.client(stack);
            String done = client.submit(GatewayIT.VALID).body().get("request_id").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> client.status(done, false).status() == 200);
            var before = client.status(done, true).body();

            stack.gateway().close();
            try (Gateway restarted = Gateway.start(stack.config().with("gateway.port", "0"))) {
                var again = new org.ltxfleet.infra.client.FleetClient(
                        java.net.URI.create("http://127.0.0.1:" + restarted.port()), stack.apiKey(),
                        org.ltxfleet.gateway.GatewaySettings.ENDPOINT_ID);
                var after = again.status(done, true);
                assertThat(after.status()).isEqualTo(200);
                assertThat(after.body().get("logs")).isEqualTo(before.get("logs"));
                assertThat(after.body().get("error")).isEqualTo(before.get("error"));
                assertThat(again.result(done).status()).isEqualTo(422);
            }
        }
    }

    @Test
    void restartedStackKeepsJobsAndTheDevKey() throws Exception {
        Path dir = Files.createTempDirectory("fleet-it-stack-restart");
        StackOptions options = StackOptions.forTests(dir).withApiKey(null);
        String requestId;
        String key;
        try (FleetStack stack = TestStacks.start(options)) {
            key = stack.apiKey();
            var client = TestStacks.client(stack);
            requestId = client.submit(GatewayIT.VALID).body().get("request_id").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> client.status(requestId, false).status() == 200);
        }
        try (FleetStack stack = TestStacks.start(options)) {
            assertThat(stack.apiKey()).isEqualTo(key);
            var status = TestStacks.client(stack).status(requestId, true);
            assertThat(status.status()).isEqualTo(200);
            assertThat(status.body().get("state").asText()).isEqualTo("FAILED");
            assertThat(status.body().get("error").asText()).contains("training_data_url");
        }
    }
}
