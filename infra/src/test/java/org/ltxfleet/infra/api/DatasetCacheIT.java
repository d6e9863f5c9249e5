package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.infra.client.FleetClient;
import org.ltxfleet.infra.stack.FleetStack;

/**
 * The same archive with the same preprocessing inputs is prepared once: a second job (other
 * training settings) reuses the latent bundle without decoding, and a change of a preprocessing
 * input (the frame count) prepares it again. Each job is canceled once its training has started:
 * what is checked happens before, and the training itself is covered elsewhere.
 */
@CpuBound(seconds = 10)
class DatasetCacheIT {

    @Test
    void aSecondJobOnTheSameArchiveSkipsDecoding() throws Exception {
        FleetStack stack = TestStacks.withWorkers();
        FleetClient client = TestStacks.client(stack);
        String url = TestStacks.sampleDataset(stack, 2);

        List<String> first = logsOf(client, run(client, url, 25, 100, 8));
        assertThat(first).anyMatch(m -> m.startsWith("preprocess: 2 clip(s) found"))
                .noneMatch(m -> m.contains("cache hit"));

        List<String> second = logsOf(client, run(client, url, 25, 120, 16));
        assertThat(second).anyMatch(m -> m.startsWith("preprocess: cache hit"))
                .noneMatch(m -> m.contains("clip(s) found"));

        List<String> third = logsOf(client, run(client, url, 17, 100, 8));
        assertThat(third).anyMatch(m -> m.startsWith("preprocess: 2 clip(s) found"));
    }

    private static String run(FleetClient client, String url, int frames, int steps, int rank) throws Exception {
        var input = TestStacks.jobInput(url, frames, steps);
        input.put("rank", rank);
        return client.submit(Json.toString(input)).body().get("request_id").asText();
    }

    private static List<String> logsOf(FleetClient client, String id) throws Exception {
        TestStacks.awaitTrainingStep(client, id, 1, Duration.ofMinutes(3));
        assertThat(client.cancel(id).status()).isEqualTo(202);
        JsonNode status = TestStacks.awaitOutcome(client, id, Duration.ofMinutes(1));
        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("CANCELED");
        var logs = new ArrayList<String>();
        status.get("logs").forEach(l -> logs.add(l.get("message").asText()));
        return logs;
    }
}
