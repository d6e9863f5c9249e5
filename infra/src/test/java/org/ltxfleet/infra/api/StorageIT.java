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
import org.ltxfleet.infra.client.FleetClient;
import org.ltxfleet.infra.stack.FleetStack;

/**
 * fal's storage behaviour against the real broker and S3 store: output links signed each time a
 * result is rendered, outputs deleted when {@code X-Fal-Object-Lifecycle-Preference} says, and
 * the upload endpoints {@code fal.storage.upload} uses (one PUT, or parts and complete).
 */
class StorageIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final HttpClient HTTP1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final long MAX_UPLOAD = 12L << 20;
    private static final long MAX_PART = 6L << 20;
    private static final int RATE = 40;
    private static final int IDLE_SECONDS = 2;
    private static final long SCRATCH = 10L << 20;
    private static final int URL_SECONDS = 2;
    private static final int MULTIPART_SECONDS = 8;

    private static TestStacks.Scripted scripted;
    private static FleetStack stack;
    private static FleetClient client;
    private static ObjectStore store;

    @BeforeAll
    static void start() throws Exception {
        scripted = TestStacks.startScripted("fleet-it-storage", "gateway.upload.max.bytes=" + MAX_UPLOAD + "\n"
                + "gateway.upload.part.max.bytes=" + MAX_PART + "\n"
                + "gateway.rate.limit.per.second=" + RATE + "\n"
                + "gateway.upload.idle.seconds=" + IDLE_SECONDS + "\n"
                + "gateway.upload.scratch.max.bytes=" + SCRATCH + "\n"
                + "gateway.upload.url.seconds=" + URL_SECONDS + "\n"
                + "gateway.upload.multipart.max.seconds=" + MULTIPART_SECONDS + "\n");
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
                "{\"expiration_duration_seconds\":1.5}", "{\"expiration_duration_seconds\":true}"}) {
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

    @Test
    void uploadPutsDrawOnTheirKeysRateLimit() throws Exception {
        // The token names its key: PUTs count against that key's budget as its other calls do.
        URI url = URI.create(initiate("initiate", "{}").get("upload_url").asText());
        var replies = new java.util.ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<String>>>();
        for (int i = 0; i < 3 * RATE; i++) {
            replies.add(HTTP1.sendAsync(HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[100]))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        var limited = replies.stream().map(java.util.concurrent.CompletableFuture::join)
                .filter(r -> r.statusCode() == 429).toList();
        assertThat(limited).isNotEmpty();
        assertThat(limited.get(0).headers().firstValue("Retry-After")).isPresent();
        Thread.sleep(1100); // a fresh budget for the next test
    }

    @Test
    void aSecondPutToAnUploadUrlWhileOneIsInFlightIsRefused() throws Exception {
        String object = "/storage/upload/object?" + URI.create(initiate("initiate", "{}").get("upload_url").asText()).getRawQuery();
        try (var first = openPut(object, "Content-Length: 100", 10)) {
            Thread.sleep(200);
            try (var second = openPut(object, "Content-Length: 5", 5)) {
                assertThat(statusLine(second)).contains(" 409 ");
            }
        }
    }

    @Test
    void aBodyThatStopsIsAnswered408AndItsScratchFileDeleted() throws Exception {
        String object = "/storage/upload/object?" + URI.create(initiate("initiate", "{}").get("upload_url").asText()).getRawQuery();
        long scratchBefore = scratchFiles();
        long started = System.nanoTime();
        try (var stalled = openPut(object, "Content-Length: 1000", 10)) {
            assertThat(statusLine(stalled)).contains(" 408 ");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(IDLE_SECONDS + 4));
        await().atMost(Duration.ofSeconds(3)).until(() -> scratchFiles() <= scratchBefore);
    }

    @Test
    void expect100ContinueWithoutABodyIsAnswered408() throws Exception {
        String object = "/storage/upload/object?" + URI.create(initiate("initiate", "{}").get("upload_url").asText()).getRawQuery();
        try (var waiting = openPut(object, "Content-Length: 1000\r\nExpect: 100-continue", 0)) {
            String status = statusLine(waiting);
            if (status.contains(" 100 ")) {
                new java.io.BufferedReader(new java.io.InputStreamReader(waiting.getInputStream())).readLine();
                status = statusLine(waiting);
            }
            assertThat(status).contains(" 408 ");
        }
    }

    @Test
    void aKeysScratchDiskIsBoundedByItsSetting() throws Exception {
        String token = URI.create(initiate("initiate-multipart", "{}").get("upload_url").asText()).getRawQuery();
        try (var first = openPut("/storage/upload/multipart/1?" + token, "Content-Length: " + MAX_PART, 1)) {
            Thread.sleep(200);
            try (var second = openPut("/storage/upload/multipart/2?" + token, "Content-Length: " + MAX_PART, 0)) {
                assertThat(statusLine(second)).contains(" 429 ");
            }
        }
    }

    @Test
    void aKeysScratchLimitIsNamedInTheAnswer() throws Exception {
        String token = URI.create(initiate("initiate-multipart", "{}").get("upload_url").asText()).getRawQuery();
        try (var first = openPut("/storage/upload/multipart/1?" + token, "Content-Length: " + MAX_PART, 1)) {
            Thread.sleep(200);
            var second = HTTP1.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/storage/upload/multipart/2?"
                    + token)).PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[(int) MAX_PART])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(second.statusCode()).isEqualTo(429);
            assertThat(second.body()).contains("gateway.upload.scratch.max.bytes");
        }
    }

    @Test
    void aMultipartUploadCompletesAfterItsUrlLifetimeHasPassed() throws Exception {
        URI url = URI.create(initiate("initiate-multipart", "{\"file_name\":\"slow.zip\"}").get("upload_url").asText());
        var parts = Json.object().putArray("parts");
        byte[] first = new byte[5 << 20];
        parts.add(putPart(url, 1, first));
        Thread.sleep((URL_SECONDS + 1) * 1000L); // the URL's nominal lifetime passes between parts
        parts.add(putPart(url, 2, "tail".getBytes()));
        var done = HTTP.send(HttpRequest.newBuilder(sibling(url, "complete"))
                .POST(HttpRequest.BodyPublishers.ofString(Json.toString(Json.object().set("parts", parts)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    }

    @Test
    void anAbandonedMultipartUploadIsAbortedPastItsCap() throws Exception {
        URI url = URI.create(initiate("initiate-multipart", "{\"file_name\":\"abandoned.zip\"}").get("upload_url").asText());
        JsonNode part = putPart(url, 1, new byte[5 << 20]);
        JsonNode grant = grantOf(url);
        assertThat(part.get("etag").asText()).isNotBlank();
        String key = grant.get("object_key").asText();
        String uploadId = grant.get("upload_id").asText();
        // S3Proxy's filesystem store still takes a part for an aborted upload id, so a probe PUT
        // shows nothing: ListMultipartUploads does (an aborted upload is no longer listed), and so
        // does the sweeper's abort marker, written at initiate and removed once carried out.
        assertThat(store.openMultipartUploads(key)).containsExactly(uploadId);
        assertThat(abortMarkers(key)).hasSize(1);
        await().atMost(Duration.ofSeconds(MULTIPART_SECONDS + 20)).pollInterval(Duration.ofSeconds(1))
                .until(() -> store.openMultipartUploads(key).isEmpty());
        await().atMost(Duration.ofSeconds(5)).until(() -> abortMarkers(key).isEmpty());
        var late = HTTP.send(HttpRequest.newBuilder(sibling(url, "2")).PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[5]))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(late.statusCode()).isEqualTo(403);
    }

    @Test
    void initiateAcceptsEveryLifecycleFalDocumentsUnderBothHeaderNames() throws Exception {
        for (String name : new String[] {"X-Fal-Object-Lifecycle", "X-Fal-Object-Lifecycle-Preference"}) {
            for (String value : new String[] {"{\"expiration_duration_seconds\":3153600000}",
                    "{\"expiration_duration_seconds\":null}", "{\"initial_acl\":\"private\"}",
                    "{\"expiration_duration_seconds\":60}", "{\"expiration_duration_seconds\":99999999999999999}"}) {
                var reply = initiateReply("initiate", "{}", name, value);
                assertThat(reply.statusCode()).as(name + ": " + value + " → " + reply.body()).isEqualTo(200);
            }
            var bad = initiateReply("initiate", "{}", name, "1h");
            assertThat(bad.statusCode()).as(name).isEqualTo(422);
            assertThat(bad.body()).as(name).contains("\"" + name.toLowerCase() + "\"");
        }
    }

    @Test
    void anUploadIsDeletedWhenItsLifecyclePreferenceEnds() throws Exception {
        var reply = initiateReply("initiate", "{\"file_name\":\"brief.zip\"}", "X-Fal-Object-Lifecycle",
                "{\"expiration_duration_seconds\":2}");
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        JsonNode upload = Json.readTree(reply.body().getBytes());
        URI url = URI.create(upload.get("upload_url").asText());
        assertThat(HTTP.send(HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers.ofByteArray("brief".getBytes()))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        String key = grantOf(url).get("object_key").asText();
        assertThat(store.exists(key)).isTrue();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> !store.exists(key));
    }

    /** The sweeper's markers naming {@code key} (its abort, once initiated; its delete, once stored). */
    private static java.util.List<String> abortMarkers(String key) {
        return store.keys("upload-expiries/").stream().filter(m -> m.endsWith("/" + key)).toList();
    }

    /** The grant an upload URL carries (its token's first part is base64url JSON). */
    private static JsonNode grantOf(URI url) {
        String token = url.getRawQuery().replaceFirst("^token=", "").split("\\.")[0];
        return Json.readTree(java.util.Base64.getUrlDecoder().decode(token));
    }

    private static JsonNode putPart(URI url, int number, byte[] data) throws Exception {
        var reply = HTTP.send(HttpRequest.newBuilder(sibling(url, Integer.toString(number)))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        return Json.readTree(reply.body().getBytes());
    }

    /** A raw PUT with {@code headers} and the first {@code send} bytes of its body, left open. */
    private static java.net.Socket openPut(String pathAndQuery, String headers, int send) throws Exception {
        var socket = new java.net.Socket(stack.gatewayUrl().getHost(), stack.gatewayUrl().getPort());
        socket.setSoTimeout((IDLE_SECONDS + 8) * 1000);
        String request = "PUT " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.getOutputStream().write(new byte[send]);
        socket.getOutputStream().flush();
        return socket;
    }

    /** The next status line on the socket (the reader is not kept: call once per answer). */
    private static String statusLine(java.net.Socket socket) throws Exception {
        var in = socket.getInputStream();
        var line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString().trim();
    }

    private static long scratchFiles() throws Exception {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("fleet-upload")).count();
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
        return initiateReply(kind, body, null, null);
    }

    private static HttpResponse<String> initiateReply(String kind, String body, String header, String value)
            throws Exception {
        var request = HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/storage/upload/" + kind
                        + "?storage_type=fal-cdn-v3"))
                .header("Authorization", "Key " + stack.apiKey());
        if (header != null) {
            request.header(header, value);
        }
        return HTTP.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
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
        var response = TestStacks.submitWithLifecycle(stack, lifecycle);
        return new FleetClient.Reply(response.statusCode(), Json.readTree(response.body().getBytes()), response.body());
    }

    private static JsonNode awaitResult(String id) {
        return TestStacks.awaitResult(client, id);
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
