package org.ltxfleet.gateway.webhook;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.nio.entity.DiscardingEntityConsumer;
import org.apache.hc.core5.http.nio.support.BasicResponseConsumer;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.ltxfleet.common.kafka.WebhookDelivery;
import org.ltxfleet.common.net.GuardedDnsResolver;
import org.ltxfleet.common.net.RefusedAddressException;
import org.ltxfleet.common.net.RefusedUrlException;
import org.ltxfleet.common.net.UrlGuard;

/**
 * Makes one delivery attempt: checks the URL (SSRF guard, no redirects followed, and the
 * connection made to the very addresses the guard checked: the client resolves names through it),
 * signs, POSTs with a timeout and reads no more of the answer than its status. A circuit breaker
 * per receiver (scheme, host and port) fails attempts to a receiver that keeps failing at once, so
 * one dead receiver does not hold up deliveries to others. Thread-safe.
 */
final class WebhookSender implements AutoCloseable {

    private final CloseableHttpAsyncClient http;
    private final WebhookSigner signer;
    private final UrlGuard guard;
    private final Duration timeout;
    private final CircuitBreakerRegistry breakers;

    WebhookSender(WebhookSigner signer, WebhookSettings settings) {
        this(signer, settings, new UrlGuard(settings.allowPrivateUrls()));
    }

    WebhookSender(WebhookSigner signer, WebhookSettings settings, UrlGuard guard) {
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
        this.guard = guard;
        this.timeout = settings.timeout();
        this.http = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setDnsResolver(new GuardedDnsResolver(guard))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(timeout)).setSocketTimeout(Timeout.of(timeout)).build())
                        .setMaxConnTotal(200).setMaxConnPerRoute(10)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(timeout)).build())
                .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement()
                .setUserAgent("ltx-fleet-webhooks/1")
                .build();
        http.start();
    }

    /** Attempts the delivery; never completes exceptionally. */
    CompletableFuture<AttemptResult> attempt(WebhookDelivery delivery) {
        long start = System.nanoTime();
        URI uri;
        try {
            uri = URI.create(delivery.url());
            guard.checkSchemeAndHost(uri); // the addresses are checked as the client connects
        } catch (RefusedUrlException | IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new AttemptResult(null, e.getMessage(), 0, false));
        }
        CircuitBreaker breaker = breakers.circuitBreaker(uri.getScheme() + "://" + uri.getAuthority());
        if (!breaker.tryAcquirePermission()) {
            return CompletableFuture.completedFuture(new AttemptResult(null,
                    CallNotPermittedException.createCallNotPermittedException(breaker).getMessage(), 0, true));
        }
        byte[] body = delivery.body().getBytes(StandardCharsets.UTF_8);
        var request = SimpleRequestBuilder.post(uri).setBody(body, ContentType.APPLICATION_JSON);
        signer.headers(delivery.deliveryId(), delivery.requestId(), delivery.keyId(), body,
                Instant.now().getEpochSecond()).forEach(request::addHeader);
        var answer = new CompletableFuture<HttpResponse>();
        var call = http.execute(SimpleRequestProducer.create(request.build()),
                new BasicResponseConsumer<>(new DiscardingEntityConsumer<>()),
                new FutureCallback<Message<HttpResponse, Void>>() {
                    @Override
                    public void completed(Message<HttpResponse, Void> message) {
                        answer.complete(message.getHead());
                    }

                    @Override
                    public void failed(Exception error) {
                        answer.completeExceptionally(error);
                    }

                    @Override
                    public void cancelled() {
                        answer.completeExceptionally(new TimeoutException("no answer within " + timeout.toSeconds()
                                + " s"));
                    }
                });
        // Connect and read timeouts bound each wait; this bounds a receiver that trickles its answer.
        answer.orTimeout(timeout.toMillis() * 2, TimeUnit.MILLISECONDS)
                .whenComplete((response, error) -> call.cancel(true));
        // Off the client's I/O threads: what follows records the outcome in Kafka.
        return answer.handleAsync((response, error) -> {
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                RefusedAddressException refused = UrlGuard.refusal(cause);
                if (refused != null) {
                    breaker.releasePermission();
                    return new AttemptResult(null, "URL not allowed: " + refused.getMessage(), millis, false);
                }
                breaker.onError(millis, TimeUnit.MILLISECONDS, cause);
                return new AttemptResult(null, cause.getClass().getSimpleName() + ": " + cause.getMessage(),
                        millis, true);
            }
            int status = response.getCode();
            if (status >= 500 || status == 429 || status == 408) {
                breaker.onError(millis, TimeUnit.MILLISECONDS, new IllegalStateException("HTTP " + status));
            } else {
                breaker.onSuccess(millis, TimeUnit.MILLISECONDS);
            }
            return new AttemptResult(status, status >= 300 ? "HTTP " + status : null, millis, status != 410);
        });
    }

    @Override
    public void close() {
        http.close(CloseMode.GRACEFUL);
    }
}
