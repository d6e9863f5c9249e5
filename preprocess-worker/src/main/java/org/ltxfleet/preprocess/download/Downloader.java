package org.ltxfleet.preprocess.download;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.util.Timeout;
import org.ltxfleet.common.job.JobFailedException;
import org.ltxfleet.common.net.GuardedDnsResolver;
import org.ltxfleet.common.net.RefusedAddressException;
import org.ltxfleet.common.net.RefusedUrlException;
import org.ltxfleet.common.net.UrlGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads a user's file: SSRF guard on the URL and on every redirect (followed by hand), and on
 * the addresses the connection is made to (the client resolves names through the guard, so a
 * DNS answer that changes between check and connect cannot steer it inside); a connect timeout
 * and a stall timeout, a size cap, sha256 while streaming, and retries with exponential backoff
 * (Resilience4j) for transient failures only. Everything the user can fix (a 4xx, a refused URL,
 * a file too large) fails the job at once with a 422 naming the URL field. An interrupt (a
 * cancel) aborts the connection within a fraction of a second. Apache HttpClient because the
 * JDK's client cannot be given a resolver. Thread-safe.
 */
public final class Downloader implements Fetcher, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Downloader.class);

    /** Decides whether a URL may be fetched; the SSRF guard in production. */
    @FunctionalInterface
    interface UrlCheck {
        void check(URI uri) throws RefusedUrlException;
    }

    private final DownloadSettings settings;
    private final UrlCheck check;
    private final CloseableHttpClient http;
    private final Retry retry;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("download-watchdog").daemon().factory());

    /** A downloader with these limits. */
    public Downloader(DownloadSettings settings) {
        this(settings, new UrlGuard(settings.allowPrivateUrls()));
    }

    Downloader(DownloadSettings settings, UrlGuard guard) {
        this(settings, guard::checkSchemeAndHost, guard);
    }

    Downloader(DownloadSettings settings, UrlCheck check, UrlGuard guard) {
        this.settings = settings;
        this.check = check;
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new GuardedDnsResolver(guard))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                        .setSocketTimeout(Timeout.of(settings.stallTimeout()))
                        .build())
                .build();
        this.http = HttpClients.custom().setConnectionManager(connections)
                // A pause in the answer longer than the stall timeout fails the read.
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(settings.stallTimeout()))
                        .build())
                .disableRedirectHandling().disableAutomaticRetries().disableContentCompression()
                .disableCookieManagement().setUserAgent("ltx-fleet-downloader/1")
                .build();
        this.retry = Retry.of("download", RetryConfig.custom()
                .maxAttempts(settings.attempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(settings.firstBackoff(), 2.0, 0.2))
                .retryOnException(e -> e instanceof TransientDownloadException)
                .build());
    }

    /** The largest file this downloader accepts, in bytes. */
    public long maxBytes() {
        return settings.maxBytes();
    }

    /**
     * Downloads {@code url} to {@code target}. {@code field} names the input field in errors
     * (for example {@code training_data_url}).
     */
    @Override
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
            var request = new HttpGet(uri);
            Thread caller = Thread.currentThread();
            // A blocked connect or read ignores interrupts; aborting the request ends it.
            var cancel = watchdog.scheduleAtFixedRate(() -> {
                if (caller.isInterrupted()) {
                    request.cancel();
                }
            }, 200, 200, TimeUnit.MILLISECONDS);
            ClassicHttpResponse response = null;
            boolean complete = false;
            try {
                response = http.executeOpen(null, request, null);
                int status = response.getCode();
                Header location = response.getFirstHeader("Location");
                if (status >= 300 && status < 400 && location != null) {
                    uri = uri.resolve(location.getValue());
                    continue;
                }
                if (status == 429 || status >= 500) {
                    throw new TransientDownloadException("the server answered HTTP " + status, null);
                }
                if (status != 200) {
                    throw JobFailedException.invalidField("download_failed", field,
                            "Could not download " + field + ": the server answered HTTP " + status);
                }
                if (response.getEntity() == null) {
                    throw new TransientDownloadException("the server answered 200 without a body", null);
                }
                if (response.getEntity().getContentLength() > settings.maxBytes()) {
                    throw tooLarge(field);
                }
                DownloadedFile file = save(response.getEntity().getContent(), target, field);
                complete = true;
                return file;
            } catch (IOException e) {
                RefusedAddressException refused = UrlGuard.refusal(e);
                if (refused != null) {
                    throw JobFailedException.invalidField("url_not_allowed", field,
                            new RefusedUrlException(uri, refused.getMessage()).getMessage());
                }
                if (caller.isInterrupted() || request.isCancelled()) {
                    caller.interrupt();
                    throw new InterruptedException("download of " + field + " canceled");
                }
                if (e instanceof TransientDownloadException) {
                    throw e;
                }
                // The user reads words; the worker's log keeps the exception.
                LOG.info("download of {} from {} failed: {}", field, uri.getHost(), e.toString());
                throw new TransientDownloadException(DownloadFailures.describe(e), e);
            } finally {
                cancel.cancel(false);
                if (!complete) {
                    // Closing an unread answer would read it to its end; aborting drops the connection.
                    request.cancel();
                }
                if (response != null) {
                    closeQuietly(response);
                }
            }
        }
        throw JobFailedException.invalidField("download_failed", field,
                "Could not download " + field + ": more than " + settings.maxRedirects() + " redirects");
    }

    private static void closeQuietly(ClassicHttpResponse response) {
        try {
            response.close();
        } catch (IOException ignored) {
            // the connection was aborted; nothing is left to release
        }
    }

    private void check(URI uri, String field) {
        try {
            check.check(uri);
        } catch (RefusedUrlException e) {
            throw JobFailedException.invalidField("url_not_allowed", field, e.getMessage());
        }
    }

    /** Streams {@code body} to {@code target}, hashing it on the way and refusing more than the limit. */
    DownloadedFile save(InputStream body, Path target, String field) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
        long total = 0;
        try (InputStream in = new DigestInputStream(body, sha256); OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
                if (total > settings.maxBytes()) {
                    throw tooLarge(field);
                }
                out.write(buffer, 0, n);
            }
        } catch (JobFailedException e) {
            Files.deleteIfExists(target);
            throw e;
        } catch (IOException e) {
            Files.deleteIfExists(target);
            LOG.info("download of {} broke off after {} bytes: {}", field, total, e.toString());
            throw new TransientDownloadException("the download broke off after " + total + " bytes: "
                    + DownloadFailures.describe(e), e);
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
        http.close(org.apache.hc.core5.io.CloseMode.IMMEDIATE);
    }
}
