package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ltxfleet.infra.client.FleetClient;
import org.ltxfleet.infra.examples.ProduceJobExample;
import org.ltxfleet.infra.stack.FleetStack;

/**
 * ltx.jobs is a public interface: jobs written by a user's own producer go through the real
 * workers and answer on the HTTP API exactly like submitted ones.
 */
class DirectKafkaJobIT {

    private static FleetStack stack;
    private static FleetClient client;

    @BeforeAll
    static void start() throws Exception {
        stack = TestStacks.withWorkers();
        client = TestStacks.client(stack);
    }

    @Test
    void validJobFromAProducerIsTakenByTheWorkerAndVisibleToItsKey() throws Exception {
        String requestId = UUID.randomUUID().toString();
        String keyId = stack.apiKey().split(":")[0];
        ProduceJobExample.produce(stack.kafkaBootstrap(), requestId, keyId,
                "{\"training_data_url\":\"https://example.com/clips.zip\",\"number_of_steps\":100}");

        JsonNode status = awaitCompleted(requestId);
        assertThat(status.get("logs")).extracting(l -> l.get("message").asText())
                .anyMatch(m -> m.startsWith("preprocess: job accepted"));
        assertThat(status.get("error").asText()).contains("not implemented yet");
        var result = client.result(requestId);
        assertThat(result.status()).isEqualTo(501);
        assertThat(TestStacks.otherClient(stack).status(requestId, false).status()).isEqualTo(404);
    }

    @Test
    void invalidJobFromAProducerFailsWithTheGatewaysValidationDetail() throws Exception {
        String bad = "{\"training_data_url\":\"ftp://example.com/clips.zip\",\"rank\":7}";
        var http = client.submit(bad);
        assertThat(http.status()).isEqualTo(422);

        String requestId = UUID.randomUUID().toString();
        ProduceJobExample.produce(stack.kafkaBootstrap(), requestId, stack.apiKey().split(":")[0], bad);
        JsonNode status = awaitCompleted(requestId);
        assertThat(status.get("error_type").asText()).isEqualTo("validation_error");
        var result = client.result(requestId);
        assertThat(result.status()).isEqualTo(422);
        assertThat(result.body().get("detail")).isEqualTo(http.body().get("detail"));
    }

    @Test
    void submittedJobEndsWithTheNotImplementedFailureUnbilled() throws Exception {
        var reply = client.submit("{\"training_data_url\":\"https://example.com/clips.zip\"}");
        String requestId = reply.body().get("request_id").asText();
        JsonNode status = awaitCompleted(requestId);
        assertThat(status.get("error").asText()).contains("preprocess stage is not implemented yet");
        assertThat(status.get("error").asText()).contains("not billed");
    }

    private static JsonNode awaitCompleted(String requestId) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> client.status(requestId, true), r -> r.status() == 200).body();
    }
}
