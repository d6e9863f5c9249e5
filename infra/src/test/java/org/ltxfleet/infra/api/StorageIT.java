package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.s3.ObjectStore;
import org.ltxfleet.common.s3.S3Settings;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.infra.client.FleetClient;
import org.ltxfleet.infra.stack.FleetStack;

/**
 * Outputs as fal serves them, against the real broker and S3 store: links signed each time a
 * result is rendered, outputs deleted when {@code X-Fal-Object-Lifecycle-Preference} says.
 */
class StorageIT {

    private static final String LIFECYCLE = "X-Fal-Object-Lifecycle-Preference";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static TestStacks.Scripted scripted;
    private static FleetStack stack;
    private static FleetClient client;
    private static ObjectStore store;

    @BeforeAll
    static void start() throws Exception {
        scripted = TestStacks.startScripted("fleet-it-storage", "");
        stack = scripted.stack();
        client = TestStacks.client(stack);
        store = ObjectStore.open(S3Settings.from(stack.config()));
    }

    @AfterAll
    static void stop() {
        store.close();
        scripted.close();
    }

    @Test
    void resultLinksAreSignedEachTimeTheResultIsRead() throws Exception {
        String id = submit(null).body().get("request_id").asText();
        String first = loraUrl(awaitResult(id));
        assertThat(first).startsWith("http://").contains("X-Amz-Signature=").contains("X-Amz-Expires=604800");
        assertThat(download(first).body()).isEqualTo(ScriptedWorker.loraBytes(id));

        Thread.sleep(1100); // SigV4 dates have second resolution
        String second = loraUrl(client.result(id).body());
        assertThat(second).isNotEqualTo(first);
        assertThat(download(second).body()).isEqualTo(ScriptedWorker.loraBytes(id));
    }

    @Test
    void outputsAreDeletedWhenTheirLifecyclePreferenceEnds() throws Exception {
        // What @fal-ai/client sends for storageSettings: {expiresIn: 3}.
        String id = submit("{\"expiration_duration_seconds\":3}").body().get("request_id").asText();
        String url = loraUrl(awaitResult(id));
        String key = "jobs/" + id + "/outputs/lora.safetensors";
        // The link lives no longer than the output.
        assertThat(Integer.parseInt(url.replaceAll(".*X-Amz-Expires=(\\d+).*", "$1"))).isBetween(1, 3);
        assertThat(store.exists(key)).isTrue();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> !store.exists(key));
    }

    @Test
    void aJobWithoutAPreferenceKeepsItsOutputs() throws Exception {
        String id = submit("{\"initial_acl\":\"private\"}").body().get("request_id").asText();
        awaitResult(id);
        Thread.sleep(2500); // two rounds of the gateway's expiry sweep
        assertThat(store.exists("jobs/" + id + "/outputs/lora.safetensors")).isTrue();
    }

    @Test
    void aBadLifecyclePreferenceIsRefusedNamingTheHeader() throws Exception {
        for (String bad : new String[] {"1h", "[3600]", "{\"expiration_duration_seconds\":0}",
                "{\"expiration_duration_seconds\":-5}", "{\"expiration_duration_seconds\":\"1h\"}",
                "{\"expiration_duration_seconds\":1.5}", "{\"expiration_duration_seconds\":1e12}"}) {
            var reply = submit(bad);
            assertThat(reply.status()).as(bad).isEqualTo(422);
            assertThat(reply.body().get("detail").get(0).get("loc").toString())
                    .as(bad).isEqualTo("[\"header\",\"x-fal-object-lifecycle-preference\"]");
        }
    }

    private static FleetClient.Reply submit(String lifecycle) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/" + GatewaySettings.ENDPOINT_ID))
                .header("Authorization", "Key " + stack.apiKey())
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"training_data_url\":\"https://example.com/c.zip\",\"trigger_phrase\":\"ok\"}"));
        if (lifecycle != null) {
            request.header(LIFECYCLE, lifecycle);
        }
        var response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new FleetClient.Reply(response.statusCode(), Json.readTree(response.body().getBytes()), response.body());
    }

    private static JsonNode awaitResult(String id) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> client.result(id), r -> r.status() == 200).body();
    }

    private static String loraUrl(JsonNode result) {
        return result.get("lora_file").get("url").asText();
    }

    private static HttpResponse<byte[]> download(String url) throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response;
    }
}
