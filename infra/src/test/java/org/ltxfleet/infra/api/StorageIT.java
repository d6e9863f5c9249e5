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
 * fal's storage behaviour against the real broker and S3 store: output links signed each time a
 * result is rendered, outputs deleted when {@code X-Fal-Object-Lifecycle-Preference} says, and
 * the upload endpoints {@code fal.storage.upload} uses (one PUT, or parts and complete).
 */
class StorageIT {

    private static final String LIFECYCLE = "X-Fal-Object-Lifecycle-Preference";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final long MAX_UPLOAD = 12L << 20;
    private static final long MAX_PART = 6L << 20;

    private static TestStacks.Scripted scripted;
    private static FleetStack stack;
    private static FleetClient client;
    private static ObjectStore store;

    @BeforeAll
    static void start() throws Exception {
        scripted = TestStacks.startScripted("fleet-it-storage", "gateway.upload.max.bytes=" + MAX_UPLOAD + "\n"
                + "gateway.upload.part.max.bytes=" + MAX_PART + "\n");
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

    @Test
    void aFileUploadedInOnePutDownloadsFromItsFileUrlUnderTheCallersKey() throws Exception {
        JsonNode upload = initiate("initiate", "{\"content_type\":\"application/zip\",\"file_name\":\"my clips.zip\"}");
        String uploadUrl = upload.get("upload_url").asText();
        assertThat(uploadUrl).startsWith(stack.gatewayUrl() + "/storage/upload/object?token=");
        byte[] data = "PK a zip, nearly".getBytes();
        // No credentials with the data, as fal's clients send it.
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(uploadUrl)).PUT(HttpRequest.BodyPublishers.ofByteArray(data))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(download(upload.get("file_url").asText()).body()).isEqualTo(data);
        assertThat(store.keys("uploads/" + keyId() + "/")).anyMatch(k -> k.endsWith("/my_clips.zip"));
    }

    @Test
    void aMultipartUploadJoinsItsPartsAsFalsClientSendsThem() throws Exception {
        JsonNode upload = initiate("initiate-multipart", "{\"content_type\":\"application/zip\",\"file_name\":\"big.zip\"}");
        URI uploadUrl = URI.create(upload.get("upload_url").asText());
        byte[] first = new byte[5 << 20];
        java.util.Arrays.fill(first, (byte) 7);
        byte[] second = "the tail".getBytes();
        var parts = Json.object().putArray("parts");
        int number = 1;
        for (byte[] part : new byte[][] {first, second}) {
            // {upload_url path}/{n}{upload_url query}, as @fal-ai/client builds it
            var reply = HTTP.send(HttpRequest.newBuilder(sibling(uploadUrl, Integer.toString(number)))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(part)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
            JsonNode answer = Json.readTree(reply.body().getBytes());
            assertThat(answer.get("partNumber").asInt()).isEqualTo(number++);
            // Python clients read the part's ETag from the header, the JavaScript client from the body.
            assertThat(reply.headers().firstValue("ETag")).contains(answer.get("etag").asText());
            parts.addObject().put("partNumber", answer.get("partNumber").asInt()).put("etag", answer.get("etag").asText());
        }
        var done = HTTP.send(HttpRequest.newBuilder(sibling(uploadUrl, "complete"))
                .POST(HttpRequest.BodyPublishers.ofString(Json.toString(Json.object().set("parts", parts)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        byte[] joined = download(upload.get("file_url").asText()).body();
        assertThat(joined).hasSize(first.length + second.length);
        assertThat(java.util.Arrays.copyOfRange(joined, first.length, joined.length)).isEqualTo(second);
    }

    @Test
    void uploadUrlsGrantOneObjectAndNothingElse() throws Exception {
        String token = URI.create(initiate("initiate", "{}").get("upload_url").asText()).getRawQuery();
        String multipartToken = URI.create(initiate("initiate-multipart", "{}").get("upload_url").asText()).getRawQuery();
        String object = "/storage/upload/object?";
        assertThat(rawPut(object, 10, null)).isEqualTo(403);
        assertThat(rawPut(object + token.substring(0, token.length() - 2), 10, null)).as("tampered").isEqualTo(403);
        assertThat(rawPut("/storage/upload/multipart/1?" + token, 10, null)).as("not a multipart grant").isEqualTo(403);
        assertThat(rawPut(object + multipartToken, 10, null)).as("not a single-put grant").isEqualTo(403);
        assertThat(rawPut("/storage/upload/multipart/0?" + multipartToken, 10, null)).isEqualTo(400);
        assertThat(rawPut("/storage/upload/multipart/10001?" + multipartToken, 10, null)).isEqualTo(400);
        // Sizes are refused from the headers, before a byte of the body is read.
        assertThat(rawPut(object + token, MAX_UPLOAD + 1, null)).isEqualTo(413);
        assertThat(rawPut("/storage/upload/multipart/1?" + multipartToken, MAX_PART + 1, null)).isEqualTo(413);
        assertThat(rawPut(object + token, -1, "Transfer-Encoding: chunked")).isEqualTo(411);
        // Starting an upload needs the key; a bad body names its field.
        var anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/storage/upload/initiate"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        var bad = initiateReply("initiate", "{\"file_name\":[]}");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.body()).contains("\"file_name\"");
    }

    @Test
    void aJobReadsItsOwnersUploadsFromTheStoreAndAnyOtherLinkOverTheGuardedDownload() throws Exception {
        JsonNode upload = initiate("initiate", "{\"file_name\":\"data.zip\"}");
        byte[] data = "training data".getBytes();
        HTTP.send(HttpRequest.newBuilder(URI.create(upload.get("upload_url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.discarding());
        String fileUrl = upload.get("file_url").asText();
        // The store is on loopback, which the guard refuses outside local use.
        var settings = org.ltxfleet.preprocess.download.DownloadSettings.from(
                stack.config().with(org.ltxfleet.common.config.Settings.ALLOW_PRIVATE_URLS.key(), "false"));
        java.nio.file.Path target = java.nio.file.Files.createTempFile("storage-it", ".zip");
        try (var downloader = new org.ltxfleet.preprocess.download.Downloader(settings)) {
            var own = org.ltxfleet.preprocess.download.OwnUploads.forOwner(keyId(), store, downloader)
                    .download(fileUrl, target, "training_data_url");
            assertThat(java.nio.file.Files.readAllBytes(own.path())).isEqualTo(data);
            assertThat(own.sha256()).isEqualTo(java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(data)));
            var strangers = org.ltxfleet.preprocess.download.OwnUploads.forOwner("other-key", store, downloader);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> strangers.download(fileUrl, target, "training_data_url"))
                    .isInstanceOf(org.ltxfleet.common.job.JobFailedException.class).hasMessageContaining("non-public");
        } finally {
            java.nio.file.Files.deleteIfExists(target);
        }
    }

    private static String keyId() {
        return stack.apiKey().split(":")[0];
    }

    private static JsonNode initiate(String kind, String body) throws Exception {
        var reply = initiateReply(kind, body);
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        return Json.readTree(reply.body().getBytes());
    }

    private static HttpResponse<String> initiateReply(String kind, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/storage/upload/" + kind
                        + "?storage_type=fal-cdn-v3"))
                .header("Authorization", "Key " + stack.apiKey())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code {url path}/{segment}{url query}}. */
    private static URI sibling(URI url, String segment) {
        return URI.create(url.getScheme() + "://" + url.getRawAuthority() + url.getRawPath() + "/" + segment + "?"
                + url.getRawQuery());
    }

    /** The status of a PUT that declares {@code length} bytes (or sends {@code header} instead) and sends none. */
    private static int rawPut(String pathAndQuery, long length, String header) throws Exception {
        try (var socket = new java.net.Socket(stack.gatewayUrl().getHost(), stack.gatewayUrl().getPort())) {
            socket.setSoTimeout(10_000);
            String request = "PUT " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\n"
                    + (header != null ? header : "Content-Length: " + length) + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
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
