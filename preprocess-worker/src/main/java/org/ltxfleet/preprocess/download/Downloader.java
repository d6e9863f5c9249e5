package org.ltxfleet.preprocess.download;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.ltxfleet.common.job.JobFailedException;
import org.ltxfleet.common.net.RefusedUrlException;
import org.ltxfleet.common.net.UrlGuard;

/**
 * Downloads a user's file: SSRF guard on the URL and on every redirect (followed by hand), a
 * connect timeout and a stall timeout, a size cap, sha256 while streaming, and retries with
 * exponential backoff (Resilience4j) for transient failures only. Everything the user can fix — a
 * 4xx, a refused URL, a file too large — fails the job at once with a 422 naming the URL field.
 * Thread-safe.
 */
public final class Downloader implements AutoCloseable {

    /** Decides whether a URL may be fetched; the SSRF guard in production. */
    @FunctionalInterface
    interface UrlCheck {
        void check(URI uri) throws RefusedUrlException;
    }

    private final DownloadSettings settings;
    private final UrlCheck guard;
    private final HttpClient http;
    private final Retry retry;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("download-watchdog").daemon().factory());

    /** A downloader with these limits. */
    public Downloader(DownloadSettings settings) {
        this(settings, new UrlGuard(settings.allowPrivateUrls())::check);
    }

    Downloader(DownloadSettings settings, UrlCheck guard) {
        this.settings = settings;
        this.guard = guard;
        this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.retry = Retry.of("download", RetryConfig.custom()
                .maxAttempts(settings.attempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(settings.firstBackoff(), 2.0, 0.2))
                .retryOnException(e -> e instanceof TransientDownloadException)
                .build());
    }

    /**
     * Downloads {@code url} to {@code target}. {@code field} names the input field in errors
     * (for example {@code training_data_url}).
     */
    public DownloadedFile download(String url, Path target, String field) throws IOException, InterruptedException {
        try {
            return retry.executeCheckedSupplier(() -> attempt(URI.create(url), target, field));
        } catch (TransientDownloadException e) {
            throw JobFailedException.invalidField("download_failed", field,
                    "Could not download " + field + " after " + settings.attempts() + " attempts: " + e.getMessage());
        } catch (IOException | InterruptedException | JobFailedException e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("download of " + field + " failed: " + e.getMessage(), e);
        }
    }

    private DownloadedFile attempt(URI start, Path target, String field) throws IOException, InterruptedException {
        URI uri = start;
        for (int hop = 0; hop <= settings.maxRedirects(); hop++) {
            check(uri, field);
            HttpResponse<InputStream> response;
            try {
                response = http.send(HttpRequest.newBuilder(uri).timeout(settings.connectTimeout()).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
            } catch (HttpTimeoutException e) {
                throw new TransientDownloadException("timed out waiting for " + uri.getHost(), e);
            } catch (IOException e) {
                throw new TransientDownloadException("connection to " + uri.getHost() + " failed: " + e, e);
            }
            int status = response.statusCode();
            if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
                response.body().close();
                uri = uri.resolve(response.headers().firstValue("Location").get());
                continue;
            }
            if (status == 429 || status >= 500) {
                response.body().close();
                throw new TransientDownloadException("the server answered HTTP " + status, null);
            }
            if (status != 200) {
                response.body().close();
                throw JobFailedException.invalidField("download_failed", field,
                        "Could not download " + field + ": the server answered HTTP " + status);
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > settings.maxBytes()) {
                response.body().close();
                throw tooLarge(field);
            }
            return save(response.body(), target, field);
        }
        throw JobFailedException.invalidField("download_failed", field,
                "Could not download " + field + ": more than " + settings.maxRedirects() + " redirects");
    }

    private void check(URI uri, String field) {
        try {
            guard.check(uri);
        } catch (RefusedUrlException e) {
            throw JobFailedException.invalidField("url_not_allowed", field, e.getMessage());
        }
    }

    private DownloadedFile save(InputStream body, Path target, String field) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
        var progress = new AtomicLong(System.nanoTime());
        // Closing the stream from the watchdog makes the blocked read fail: the only way to time out a read.
        var stall = watchdog.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - progress.get() > settings.stallTimeout().toNanos()) {
                try {
                    body.close();
                } catch (IOException ignored) {
                    // the reader sees the failure
                }
            }
        }, 1, 1, TimeUnit.SECONDS);
        long total = 0;
        try (InputStream in = new DigestInputStream(body, sha256); OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
                if (total > settings.maxBytes()) {
                    throw tooLarge(field);
                }
                out.write(buffer, 0, n);
                progress.set(System.nanoTime());
            }
        } catch (JobFailedException e) {
            Files.deleteIfExists(target);
            throw e;
        } catch (IOException e) {
            Files.deleteIfExists(target);
            throw new TransientDownloadException("the download broke off after " + total + " bytes: " + e.getMessage(), e);
        } finally {
            stall.cancel(false);
        }
        return new DownloadedFile(target, HexFormat.of().formatHex(sha256.digest()), total);
    }

    private JobFailedException tooLarge(String field) {
        return JobFailedException.invalidField("file_too_large", field,
                "The file at " + field + " is larger than the limit of " + settings.maxBytes() + " bytes");
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }
}
