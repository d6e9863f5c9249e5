package org.ltxfleet.preprocess.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.job.JobFailedException;

/**
 * A download that fails says why in words the user acts on: no exception class, library name or
 * path reaches the job's {@code detail} (the result, the status error and the webhook payload).
 */
class DownloadFailureWordsTest {

    /** Class names, stack frames, library option names and host paths. */
    static final Pattern INTERNALS = Pattern.compile(
            "\\b(java|javax|com|org|io|sun|jdk)\\.[a-z]+\\.[A-Za-z.]+|Exception\\b|\\bat [a-z]+\\.|FAIL_ON_"
                    + "|getMax[A-Za-z]+\\(\\)|/tmp/|/home/|/root/");

    @TempDir
    Path dir;

    private static DownloadSettings settings() {
        return new DownloadSettings(Duration.ofSeconds(2), Duration.ofSeconds(2), 1 << 20, 2, 5,
                Duration.ofMillis(10), true);
    }

    private JobFailedException failure(String url) {
        try (var downloader = new Downloader(settings())) {
            return catchThrowableOfType(JobFailedException.class,
                    () -> downloader.download(url, dir.resolve("a.zip"), "training_data_url"));
        }
    }

    @Test
    void aResetConnectionIsSaidInWords() throws Exception {
        try (var server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        s.getInputStream().read(new byte[256]);
                        s.setSoLinger(true, 0); // closing with linger 0 sends a RST
                    } catch (Exception ignored) {
                        return;
                    }
                }
            });
            JobFailedException e = failure("http://127.0.0.1:" + server.getLocalPort() + "/data.zip");
            assertThat(e).isNotNull();
            String msg = e.detail().get(0).get("msg").asText();
            assertThat(msg).doesNotContainPattern(INTERNALS)
                    .contains("Could not download training_data_url").contains("reset");
        }
    }

    @Test
    void aRefusedConnectionIsSaidInWords() throws Exception {
        int port;
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        JobFailedException e = failure("http://127.0.0.1:" + port + "/data.zip");
        assertThat(e).isNotNull();
        assertThat(e.detail().get(0).get("msg").asText()).doesNotContainPattern(INTERNALS).contains("refused");
    }

    @Test
    void aUrlWithUserInfoIsSaidInWords() {
        JobFailedException e = failure("http://example.com@127.0.0.1:9/data.zip");
        assertThat(e).isNotNull();
        assertThat(e.detail().get(0).get("msg").asText()).doesNotContainPattern(INTERNALS)
                .contains("user name");
    }
}
