package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.infra.stack.FleetStack;

/**
 * The links a gateway hands out behind a TLS-terminating proxy, against the real broker and S3
 * store: request URLs follow {@code X-Forwarded-*} only when the TCP peer is a trusted proxy, and
 * presigned links are signed for {@code s3.public.endpoint}. The proxy is played by a client bound
 * to 127.0.0.2 (the only trusted address); any other loopback client is an untrusted peer.
 */
class PublicUrlsIT {

    private static final String PROXY = "127.0.0.2";
    private static final String PUBLIC_STORE = "https://files.example.com";
    private static final HttpClient UNTRUSTED = HttpClient.newHttpClient();

    private static TestStacks.Scripted scripted;
    private static FleetStack stack;
    private static HttpClient proxy;

    @BeforeAll
    static void start() throws Exception {
        scripted = TestStacks.startScripted("fleet-it-public-urls", "gateway.trusted.proxies=" + PROXY
                + "/32, fd00::/8\ns3.public.endpoint=" + PUBLIC_STORE + "\n");
        stack = scripted.stack();
        proxy = HttpClient.newBuilder().localAddress(InetAddress.getByName(PROXY)).build();
    }

    @AfterAll
    static void stop() {
        scripted.close();
    }

    @Test
    void requestUrlsFollowTheForwardedHeadersOfATrustedProxy() throws Exception {
        JsonNode reply = submit(proxy, "https", "api.example.com", null);
        String expected = "https://api.example.com" + GatewaySettings.APP_PATH + "/requests/"
                + reply.get("request_id").asText();
        assertThat(reply.get("response_url").asText()).isEqualTo(expected);
        assertThat(reply.get("status_url").asText()).isEqualTo(expected + "/status");
        assertThat(reply.get("cancel_url").asText()).isEqualTo(expected + "/cancel");
    }

    @Test
    void aForwardedPortIsKeptUnlessItIsTheSchemesDefault() throws Exception {
        assertThat(submit(proxy, "https", "api.example.com", "8443").get("status_url").asText())
                .startsWith("https://api.example.com:8443/");
        assertThat(submit(proxy, "https", "api.example.com", "443").get("status_url").asText())
                .startsWith("https://api.example.com/");
    }

    @Test
    void forwardedHeadersFromAnUntrustedPeerAreIgnored() throws Exception {
        JsonNode reply = submit(UNTRUSTED, "https", "attacker.example", null);
        assertThat(reply.get("response_url").asText()).startsWith(stack.gatewayUrl() + GatewaySettings.APP_PATH);
        assertThat(reply.get("status_url").asText()).startsWith(stack.gatewayUrl() + "/");
    }

    @Test
    void malformedForwardedHeadersOfATrustedProxyAreIgnored() throws Exception {
        for (String host : new String[] {"evil.example/path", "user@evil.example", "evil.example:99999", "a b"}) {
            assertThat(submit(proxy, "javascript", host, "x").get("status_url").asText()).as(host)
                    .startsWith("http://127.0.0.1:" + stack.gatewayUrl().getPort() + "/");
        }
        // The first of a list is the one the client reached (each proxy on the way appends its own).
        assertThat(submit(proxy, "https, http", "api.example.com, proxy.internal", null).get("status_url").asText())
                .startsWith("https://api.example.com/");
    }

    @Test
    void outputLinksAreSignedForThePublicStoreEndpoint() throws Exception {
        String id = submit(proxy, "https", "api.example.com", null).get("request_id").asText();
        var client = TestStacks.client(stack);
        JsonNode result = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> client.result(id), r -> r.status() == 200).body();
        String link = result.get("lora_file").get("url").asText();
        assertThat(link).startsWith(PUBLIC_STORE + "/").contains("X-Amz-Signature=");
        // SigV4 signs the Host header: the store serves the link to a client that reached it as
        // files.example.com, and refuses the same link under its internal name.
        assertThat(fetchFromStore(link, URI.create(link).getHost())).isEqualTo(ScriptedWorker.loraBytes(id));
        assertThat(fetchFromStore(link, stack.s3Endpoint().getAuthority())).isNull();
    }

    @Test
    void uploadLinksPointAtTheProxyAndTheirFileUrlsAtThePublicStore() throws Exception {
        var reply = proxy.send(HttpRequest.newBuilder(stack.gatewayUrl().resolve("/storage/upload/initiate"))
                .header("Authorization", "Key " + stack.apiKey())
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "api.example.com")
                .POST(HttpRequest.BodyPublishers.ofString("{\"file_name\":\"data.zip\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        JsonNode upload = Json.readTree(reply.body().getBytes());
        assertThat(upload.get("upload_url").asText()).startsWith("https://api.example.com/storage/upload/object?token=");
        assertThat(upload.get("file_url").asText()).startsWith(PUBLIC_STORE + "/");
    }

    private static JsonNode submit(HttpClient http, String proto, String host, String port) throws Exception {
        var request = HttpRequest.newBuilder(stack.gatewayUrl().resolve("/" + GatewaySettings.ENDPOINT_ID))
                .header("Authorization", "Key " + stack.apiKey()).header("Content-Type", "application/json")
                .header("X-Forwarded-Proto", proto).header("X-Forwarded-Host", host)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"training_data_url\":\"https://example.com/c.zip\",\"trigger_phrase\":\"ok\"}"));
        if (port != null) {
            request.header("X-Forwarded-Port", port);
        }
        var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.readTree(response.body().getBytes());
    }

    /**
     * GETs a presigned link's path and query from the embedded store with {@code host} as the Host
     * header, as the store behind files.example.com would see it; the body on 200, else null.
     */
    private static byte[] fetchFromStore(String link, String host) throws Exception {
        URI uri = URI.create(link);
        URI store = stack.s3Endpoint();
        try (var socket = new Socket(store.getHost(), store.getPort())) {
            socket.setSoTimeout(10_000);
            String request = "GET " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.0\r\nHost: " + host
                    + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            byte[] answer = readAll(socket.getInputStream());
            String head = new String(answer, StandardCharsets.ISO_8859_1);
            int bodyStart = head.indexOf("\r\n\r\n") + 4;
            boolean ok = head.startsWith("HTTP/1.1 200") || head.startsWith("HTTP/1.0 200");
            return ok ? java.util.Arrays.copyOfRange(answer, bodyStart, answer.length) : null;
        }
    }

    private static byte[] readAll(InputStream in) throws Exception {
        var out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
