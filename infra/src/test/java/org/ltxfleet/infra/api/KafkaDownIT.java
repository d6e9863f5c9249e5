package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.ltxfleet.infra.stack.FleetStack;
import org.ltxfleet.infra.stack.StackOptions;

/** A submit that Kafka did not store must never be answered 200. */
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
            var reply = client.submit(GatewayIT.VALID);
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.body().get("detail").asText()).contains("not accepted");
            assertThat(seconds).as("bounded by gateway.submit.timeout.ms").isLessThan(20);
        }
    }
}
