package org.ltxfleet.gateway.webhook;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.ltxfleet.common.kafka.WebhookDelivery;
import org.ltxfleet.common.net.RefusedUrlException;
import org.ltxfleet.common.net.UrlGuard;

/**
 * Makes one delivery attempt: checks the URL (SSRF guard, no redirects followed), signs, POSTs
 * with a timeout. A circuit breaker per receiver (scheme, host and port) fails attempts to a
 * receiver that keeps failing at once, so one dead receiver does not hold up deliveries to others.
 * Thread-safe.
 */
final class WebhookSender {

    private final HttpClient http;
    private final WebhookSigner signer;
    private final UrlGuard guard;
    private final Duration timeout;
    private final CircuitBreakerRegistry breakers;

    WebhookSender(WebhookSigner signer, WebhookSettings settings) {
        // Open after three failures in a row; probe again after the first retry delay, so an
        // open breaker costs a delivery one tier at most, never its whole retry window.
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(3)
                .minimumNumberOfCalls(3)
                .failureRateThreshold(100)
                .waitDurationInOpenState(settings.retryDelays().get(0))
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
        this.signer = signer;
        this.guard = new UrlGuard(settings.allowPrivateUrls());
        this.timeout = settings.timeout();
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Attempts the delivery; never completes exceptionally. */
    CompletableFuture<AttemptResult> attempt(WebhookDelivery delivery) {
        long start = System.nanoTime();
        URI uri;
        try {
            uri = URI.create(delivery.url());
            guard.check(uri);
        } catch (RefusedUrlException | IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new AttemptResult(null, e.getMessage(), 0, false));
        }
        CircuitBreaker breaker = breakers.circuitBreaker(uri.getScheme() + "://" + uri.getAuthority());
        if (!breaker.tryAcquirePermission()) {
            return CompletableFuture.completedFuture(new AttemptResult(null,
                    CallNotPermittedException.createCallNotPermittedException(breaker).getMessage(), 0, true));
        }
        byte[] body = delivery.body().getBytes(StandardCharsets.UTF_8);
        var request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "ltx-fleet-webhooks/1");
        signer.headers(delivery.deliveryId(), delivery.requestId(), delivery.keyId(), body,
                Instant.now().getEpochSecond()).forEach(request::header);
        return http.sendAsync(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> {
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    if (error != null) {
                        breaker.onError(millis, java.util.concurrent.TimeUnit.MILLISECONDS, error);
                        Throwable cause = error.getCause() != null ? error.getCause() : error;
                        return new AttemptResult(null, cause.getClass().getSimpleName() + ": " + cause.getMessage(),
                                millis, true);
                    }
                    int status = response.statusCode();
                    if (status >= 500 || status == 429 || status == 408) {
                        breaker.onError(millis, java.util.concurrent.TimeUnit.MILLISECONDS,
                                new IllegalStateException("HTTP " + status));
                    } else {
                        breaker.onSuccess(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
                    }
                    return new AttemptResult(status, status >= 300 ? "HTTP " + status : null, millis, status != 410);
                });
    }
}
