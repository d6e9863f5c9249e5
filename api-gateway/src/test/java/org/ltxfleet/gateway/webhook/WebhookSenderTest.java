package org.ltxfleet.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.common.kafka.WebhookDelivery;
import org.ltxfleet.common.net.UrlGuard;

/** One delivery attempt against a receiver on loopback, with the name lookups the test decides. */
class WebhookSenderTest {

    @TempDir
    Path dir;
    private HttpServer receiver;
    private final AtomicInteger received = new AtomicInteger();

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            received.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            byte[] answer = "x".repeat(100_000).getBytes();
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private WebhookSettings settings() {
        return new WebhookSettings(Duration.ofSeconds(2), Duration.ofHours(1),
                Collections.nCopies(Topics.WEBHOOK_RETRY_TIERS, Duration.ofSeconds(1)), dir.resolve("keys.json"), true);
    }

    private WebhookDelivery delivery(String url) {
        return new WebhookDelivery(1, "d-1", "r-1", "k-1", url, "{\"status\":\"OK\"}", 1, Instant.now(), Instant.now());
    }

    private String url(String host) {
        return "http://" + host + ":" + receiver.getAddress().getPort() + "/hook";
    }

    @Test
    void postsToTheAddressTheGuardCheckedWithOneLookup() throws Exception {
        // A rebinding name server: the first answer is the receiver, later ones an address nothing
        // listens on. One lookup, checked and connected to, delivers.
        var lookups = new AtomicInteger();
        var rebinding = new UrlGuard(true, host -> new InetAddress[] {InetAddress.getByName(
                lookups.getAndIncrement() == 0 ? "127.0.0.1" : "127.0.0.2")});
        var signer = new WebhookSigner(SigningKeys.load(dir.resolve("keys.json")));
        try (var sender = new WebhookSender(signer, settings(), rebinding)) {
            AttemptResult result = sender.attempt(delivery(url("hooks.example.test"))).get(10, TimeUnit.SECONDS);
            assertThat(result.statusCode()).as(String.valueOf(result.error())).isEqualTo(200);
            assertThat(result.delivered()).isTrue();
        }
        assertThat(lookups).hasValue(1);
        assertThat(received).hasValue(1);
    }

    @Test
    void aNameThatTurnsPrivateIsRefusedWithoutRetry() throws Exception {
        var turnsPrivate = new UrlGuard(false, host -> host.equals("hooks.example.test")
                ? new InetAddress[] {InetAddress.getByName("10.1.2.3")} : InetAddress.getAllByName(host));
        var signer = new WebhookSigner(SigningKeys.load(dir.resolve("keys.json")));
        try (var sender = new WebhookSender(signer, settings(), turnsPrivate)) {
            AttemptResult result = sender.attempt(delivery(url("hooks.example.test"))).get(10, TimeUnit.SECONDS);
            assertThat(result.statusCode()).isNull();
            assertThat(result.retryable()).isFalse();
            assertThat(result.error()).contains("not allowed").contains("10.1.2.3");
            AttemptResult metadata = sender.attempt(delivery("http://169.254.169.254/latest")).get(10, TimeUnit.SECONDS);
            assertThat(metadata.retryable()).isFalse();
            assertThat(metadata.error()).contains("metadata");
        }
        assertThat(received).hasValue(0);
    }
}
