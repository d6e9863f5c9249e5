package org.ltxfleet.infra.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.ltxfleet.common.json.Json;

/**
 * A small client of the fleet's fal-compatible API, for the demo, the benchmarks and the tests.
 * Real clients use fal's own libraries; this one speaks the same HTTP.
 */
public final class FleetClient {

    /** An HTTP answer: status and parsed JSON body (null when the body is not JSON). */
    public record Reply(int status, JsonNode body, String rawBody) {
    }

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI base;
    private final String apiKey;
    private final String endpoint;

    /** A client of the API at {@code base} with key {@code id:secret}. */
    public FleetClient(URI base, String apiKey, String endpoint) {
        this.base = base;
        this.apiKey = apiKey;
        this.endpoint = endpoint;
    }

    /** The API's base URL. */
    public URI baseUri() {
        return base;
    }

    /** The app path status and result URLs live under (the endpoint id without its last part). */
    private String appPath() {
        return "/" + endpoint.substring(0, endpoint.lastIndexOf('/'));
    }

    /** POSTs a job. */
    public Reply submit(String jsonBody) throws IOException, InterruptedException {
        return send(request("/" + endpoint).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody)).build());
    }

    /** POSTs a job whose end is announced to {@code webhook} ({@code ?fal_webhook=}). */
    public Reply submit(String jsonBody, String webhook) throws IOException, InterruptedException {
        return send(request("/" + endpoint + "?fal_webhook="
                + java.net.URLEncoder.encode(webhook, java.nio.charset.StandardCharsets.UTF_8))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(jsonBody)).build());
    }

    /** GETs a job's status. */
    public Reply status(String requestId, boolean logs) throws IOException, InterruptedException {
        return send(request(appPath() + "/requests/" + requestId + "/status" + (logs ? "?logs=1" : "")).GET().build());
    }

    /** GETs a job's result. */
    public Reply result(String requestId) throws IOException, InterruptedException {
        return send(request(appPath() + "/requests/" + requestId).GET().build());
    }

    /** PUTs a cancellation. */
    public Reply cancel(String requestId) throws IOException, InterruptedException {
        return send(request(appPath() + "/requests/" + requestId + "/cancel")
                .PUT(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** Follows the status stream, calling {@code onStatus} per event, until the server closes it. */
    public void stream(String requestId, Consumer<JsonNode> onStatus) throws IOException, InterruptedException {
        var request = request(appPath() + "/requests/" + requestId + "/status/stream?logs=1")
                .header("Accept", "text/event-stream").timeout(Duration.ofHours(24)).GET().build();
        HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IOException("status stream answered " + response.statusCode());
        }
        try (var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data:")) {
                    onStatus.accept(Json.readTree(line.substring(5).trim().getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
    }

    /** Downloads a URL (an output file) to a path. */
    public void download(String url, Path target) throws IOException, InterruptedException {
        HttpResponse<Path> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofFile(target));
        if (response.statusCode() != 200) {
            throw new IOException("download of " + url + " answered " + response.statusCode());
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Key " + apiKey);
    }

    private Reply send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body = null;
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (type.startsWith("application/json") && !response.body().isEmpty()) {
            body = Json.readTree(response.body().getBytes(StandardCharsets.UTF_8));
        }
        return new Reply(response.statusCode(), body, response.body());
    }
}
