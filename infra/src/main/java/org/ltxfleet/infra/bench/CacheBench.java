package org.ltxfleet.infra.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.infra.client.FleetClient;
import org.ltxfleet.infra.stack.FleetStack;
import org.ltxfleet.preprocess.PreprocessWorker;

/**
 * The dataset cache seen from a job: the same archive and preprocessing inputs submitted twice
 * through a stack that runs only the preprocess worker; each job's preprocessing time runs from its
 * first to its last preprocess log line (the miss decodes and encodes, the hit only downloads and
 * hashes the archive and reads the manifest).
 */
public final class CacheBench {

    private final FleetStack stack;
    private final Path zip;

    public CacheBench(FleetStack stack, Path zip) {
        this.stack = stack;
        this.zip = zip;
    }

    public Map<String, Object> run() throws Exception {
        try (var worker = PreprocessWorker.start(stack.config().with("worker.name", "cache-bench"))) {
            var client = new FleetClient(stack.gatewayUrl(), stack.apiKey(), GatewaySettings.ENDPOINT_ID);
            String url = stack.publish("bench/cache-" + System.nanoTime() + ".zip", zip);
            double miss = preprocessSeconds(client, url, "encoded");
            double hit = preprocessSeconds(client, url, "cache hit");
            var result = new LinkedHashMap<String, Object>();
            result.put("cache_miss_s", Math.round(miss * 1000) / 1000.0);
            result.put("cache_hit_s", Math.round(hit * 1000) / 1000.0);
            result.put("cache_hit_fraction_of_miss", Math.round(hit / miss * 10_000) / 10_000.0);
            return result;
        }
    }

    private static double preprocessSeconds(FleetClient client, String url, String lastLine) throws Exception {
        var input = Json.object();
        input.put("training_data_url", url);
        input.put("resolution", "medium");
        input.put("aspect_ratio", "1:1");
        input.put("number_of_frames", 89);
        input.put("number_of_steps", 100);
        String id = client.submit(Json.toString(input)).body().get("request_id").asText();
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode logs = client.status(id, true).body().path("logs");
            JsonNode first = null;
            for (JsonNode log : logs) {
                String message = log.get("message").asText();
                if (first == null && message.startsWith("preprocess:")) {
                    first = log;
                }
                if (message.startsWith("preprocess: " + lastLine)) {
                    return seconds(first, log);
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("job " + id + " did not finish preprocessing");
    }

    private static double seconds(JsonNode from, JsonNode to) {
        return (java.time.Instant.parse(to.get("timestamp").asText()).toEpochMilli()
                - java.time.Instant.parse(from.get("timestamp").asText()).toEpochMilli()) / 1000.0;
    }
}
