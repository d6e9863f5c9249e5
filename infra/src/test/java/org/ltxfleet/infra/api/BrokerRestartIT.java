package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.infra.client.FleetClient;

/**
 * Every part in a process of its own; the broker process is killed with SIGKILL while a job
 * trains and started again 30 s later. Nothing else is restarted: the job accepted before the
 * outage and one accepted after it both complete, each billed once, and readiness goes red, then
 * green. Prints the figures docs/RELIABILITY.md quotes.
 */
class BrokerRestartIT {

    @Test
    void aBrokerKilledMidJobAndBackAfterThirtySecondsLosesNothing(@TempDir Path dir) throws Exception {
        try (var stack = new ProcessStack(dir, "train.checkpoint.every=10\n")) {
            Process kafka = stack.kafka();
            stack.s3();
            stack.gateway();
            stack.worker("preprocess", "pre-1");
            stack.worker("train", "train-1");
            FleetClient client = stack.client();
            String dataset = TestStacks.sampleDataset(stack.layout().config(true), 2);

            String before = submit(client, dataset, 100);
            TestStacks.awaitTrainingStep(client, before, 10, Duration.ofMinutes(4));
            ProcessStack.kill(kafka);
            long killedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> ready(client) == 503);
            double redAfter = seconds(killedAt);
            Thread.sleep(Math.max(0, 30_000 - (System.nanoTime() - killedAt) / 1_000_000));
            stack.kafka();
            long restartedAt = System.nanoTime();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() -> ready(client) == 200);
            double greenAfter = seconds(restartedAt);

            String after = submit(client, dataset, 100);
            JsonNode first = TestStacks.awaitOutcome(client, before, Duration.ofMinutes(8));
            JsonNode second = TestStacks.awaitOutcome(client, after, Duration.ofMinutes(4));
            double recovered = seconds(killedAt);
            assertThat(first.get("state").asText()).as(first.toString()).isEqualTo("COMPLETED");
            assertThat(second.get("state").asText()).as(second.toString()).isEqualTo("COMPLETED");
            int billed = TestStacks.billedToday(client.baseUri(), ProcessStack.API_KEY);
            assertThat(billed).isEqualTo(2);
            System.out.printf("RELIABILITY broker-restart: jobs accepted 2, lost 0, billed twice 0; readiness red %.1f s "
                    + "after the kill, green %.1f s after the restart; both jobs done %.0f s after the kill%n",
                    redAfter, greenAfter, recovered);
        }
    }

    private static String submit(FleetClient client, String dataset, int steps) throws Exception {
        var reply = client.submit(Json.toString(TestStacks.jobInput(dataset, 17, steps)));
        assertThat(reply.status()).as(reply.rawBody()).isEqualTo(200);
        return reply.body().get("request_id").asText();
    }

    private static int ready(FleetClient client) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(client.baseUri().resolve("/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
