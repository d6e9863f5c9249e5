package org.ltxfleet.preprocess.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.job.JobFailedException;
import org.ltxfleet.common.net.RefusedUrlException;
import org.ltxfleet.common.net.UrlGuard;

/** Against a real HTTP server on loopback. */
class DownloaderTest {

    private static final byte[] PAYLOAD = "a training archive, or near enough".getBytes();

    @TempDir
    Path dir;
    private HttpServer server;
    private final AtomicInteger hits = new AtomicInteger();

    private static DownloadSettings settings(long maxBytes) {
        return new DownloadSettings(Duration.ofSeconds(2), Duration.ofSeconds(2), maxBytes, 3, 5,
                Duration.ofMillis(10), true);
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ok", ex -> reply(ex, 200, PAYLOAD));
        server.createContext("/missing", ex -> reply(ex, 404, new byte[0]));
        server.createContext("/flaky", ex -> reply(ex, hits.get() == 0 ? 503 : 200, PAYLOAD));
        server.createContext("/down", ex -> reply(ex, 502, new byte[0]));
        server.createContext("/hop", ex -> {
            hits.incrementAndGet();
            ex.getResponseHeaders().add("Location", "/ok");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/stall", ex -> {
            hits.incrementAndGet();
            ex.sendResponseHeaders(200, 0);
            ex.getResponseBody().write(PAYLOAD);
            ex.getResponseBody().flush();
            try {
                Thread.sleep(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        server.createContext("/chunked-huge", ex -> {
            hits.incrementAndGet();
            ex.sendResponseHeaders(200, 0);
            for (int i = 0; i < 100; i++) {
                ex.getResponseBody().write(new byte[1024]);
            }
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void reply(HttpExchange ex, int status, byte[] body) throws IOException {
        hits.incrementAndGet();
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
        ex.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void downloadsWithTheSha256OfTheBytes() throws Exception {
        try (var downloader = new Downloader(settings(1 << 20))) {
            DownloadedFile file = downloader.download(url("/ok"), dir.resolve("a.zip"), "training_data_url");
            assertThat(file.bytes()).isEqualTo(PAYLOAD.length);
            assertThat(file.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(PAYLOAD)));
        }
    }

    @Test
    void clientErrorsFailAtOnceNamingTheField() throws Exception {
        try (var downloader = new Downloader(settings(1 << 20))) {
            assertThatThrownBy(() -> downloader.download(url("/missing"), dir.resolve("a.zip"), "training_data_url"))
                    .isInstanceOfSatisfying(JobFailedException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(422);
                        assertThat(e.detail().get(0).get("loc").toString()).isEqualTo("[\"body\",\"training_data_url\"]");
                        assertThat(e.getMessage()).contains("404");
                    });
            assertThat(hits.get()).isEqualTo(1);
        }
    }

    @Test
    void transientErrorsAreRetried() throws Exception {
        try (var downloader = new Downloader(settings(1 << 20))) {
            assertThat(downloader.download(url("/flaky"), dir.resolve("a.zip"), "f").bytes()).isEqualTo(PAYLOAD.length);
            assertThat(hits.get()).isEqualTo(2);
        }
    }

    @Test
    void persistentServerErrorsFailAfterTheLastAttempt() throws Exception {
        try (var downloader = new Downloader(settings(1 << 20))) {
            assertThatThrownBy(() -> downloader.download(url("/down"), dir.resolve("a.zip"), "f"))
                    .isInstanceOf(JobFailedException.class).hasMessageContaining("after 3 attempts");
            assertThat(hits.get()).isEqualTo(3);
        }
    }

    @Test
    void refusesFilesOverTheCapWhileStreaming() throws Exception {
        try (var downloader = new Downloader(settings(10 * 1024))) {
            assertThatThrownBy(() -> downloader.download(url("/chunked-huge"), dir.resolve("a.zip"), "f"))
                    .isInstanceOf(JobFailedException.class).hasMessageContaining("larger than");
            assertThat(dir.resolve("a.zip")).doesNotExist();
        }
        try (var tiny = new Downloader(settings(10))) {
            // Refused on the declared Content-Length, before a byte is read.
            assertThatThrownBy(() -> tiny.download(url("/ok"), dir.resolve("b.zip"), "f"))
                    .isInstanceOf(JobFailedException.class).hasMessageContaining("larger than");
        }
    }

    @Test
    void abandonsAStalledDownload() throws Exception {
        var quick = new DownloadSettings(Duration.ofSeconds(2), Duration.ofMillis(1500), 1 << 20, 2, 5,
                Duration.ofMillis(10), true);
        try (var downloader = new Downloader(quick)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> downloader.download(url("/stall"), dir.resolve("a.zip"), "f"))
                    .isInstanceOf(JobFailedException.class).hasMessageContaining("broke off");
            assertThat((System.nanoTime() - start) / 1e9).isLessThan(9);
        }
    }

    @Test
    void checksEveryRedirectHop() throws Exception {
        Downloader.UrlCheck refuseOk = uri -> {
            if (uri.getPath().equals("/ok")) {
                throw new RefusedUrlException(uri, "not allowed in this test");
            }
        };
        try (var downloader = new Downloader(settings(1 << 20), refuseOk, new UrlGuard(true))) {
            assertThatThrownBy(() -> downloader.download(url("/hop"), dir.resolve("a.zip"), "training_data_url"))
                    .isInstanceOfSatisfying(JobFailedException.class,
                            e -> assertThat(e.errorType()).isEqualTo("url_not_allowed"));
        }
        try (var downloader = new Downloader(settings(1 << 20))) {
            assertThat(downloader.download(url("/hop"), dir.resolve("c.zip"), "f").bytes()).isEqualTo(PAYLOAD.length);
        }
    }

    @Test
    void connectsToTheAddressTheGuardChecked() throws Exception {
        // A rebinding name server: the first answer is the test server, every later one an address
        // nothing listens on. Checking and connecting with one lookup downloads; a second lookup
        // for the connection would fail it.
        var lookups = new AtomicInteger();
        var rebinding = new UrlGuard(true, host -> new java.net.InetAddress[] {java.net.InetAddress.getByName(
                lookups.getAndIncrement() == 0 ? "127.0.0.1" : "127.0.0.2")});
        String named = "http://files.example.test:" + server.getAddress().getPort() + "/ok";
        try (var downloader = new Downloader(settings(1 << 20), rebinding)) {
            assertThat(downloader.download(named, dir.resolve("a.zip"), "f").bytes()).isEqualTo(PAYLOAD.length);
        }
        assertThat(lookups).hasValue(1);
        // And the refusal of an address the connection would use names the field.
        var strict = new UrlGuard(false, host -> new java.net.InetAddress[] {java.net.InetAddress.getByName("10.0.0.1")});
        try (var downloader = new Downloader(settings(1 << 20), strict)) {
            assertThatThrownBy(() -> downloader.download(named, dir.resolve("b.zip"), "training_data_url"))
                    .isInstanceOfSatisfying(JobFailedException.class,
                            e -> assertThat(e.errorType()).isEqualTo("url_not_allowed"))
                    .hasMessageContaining("non-public");
        }
    }

    @Test
    void anInterruptAbortsADownloadWithinASecond() throws Exception {
        try (var downloader = new Downloader(settings(1 << 20))) {
            Thread caller = Thread.currentThread();
            var interrupter = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
                caller.interrupt();
            });
            long start = System.nanoTime();
            assertThatThrownBy(() -> downloader.download(url("/stall"), dir.resolve("a.zip"), "f"))
                    .isInstanceOf(InterruptedException.class);
            assertThat((System.nanoTime() - start) / 1e9).isLessThan(2.0);
            interrupter.join();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void theRealGuardRefusesLoopbackUnlessAllowed() {
        var strict = new DownloadSettings(Duration.ofSeconds(2), Duration.ofSeconds(2), 1 << 20, 3, 5,
                Duration.ofMillis(10), false);
        try (var downloader = new Downloader(strict)) {
            assertThatThrownBy(() -> downloader.download(url("/ok"), dir.resolve("a.zip"), "training_data_url"))
                    .isInstanceOf(JobFailedException.class).hasMessageContaining("non-public");
            assertThatThrownBy(() -> downloader.download("http://169.254.169.254/latest", dir.resolve("b"), "f"))
                    .isInstanceOf(JobFailedException.class);
            assertThat(hits.get()).isZero();
        }
        assertThat(URI.create(url("/ok")).getHost()).isEqualTo("127.0.0.1");
    }
}
