package org.ltxfleet.gateway.webhook;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import java.time.Duration;

/**
 * Redeliveries one API key may queue a minute in this gateway ({@code webhook.redeliver.limit.per.minute}):
 * each is a POST to the job's webhook URL, which the key chose, so without a budget a key could aim
 * the gateway at any receiver. Never waits; 0 disables. Thread-safe.
 */
final class RedeliveryBudget {

    /** How long a spent budget takes to refill, what a refused caller is told to wait. */
    static final Duration PERIOD = Duration.ofMinutes(1);

    private final int perMinute;
    private final RateLimiterRegistry registry;

    /** A budget of {@code perMinute} redeliveries a minute per key; 0 for no limit. */
    RedeliveryBudget(int perMinute) {
        this.perMinute = perMinute;
        this.registry = RateLimiterRegistry.of(RateLimiterConfig.custom()
                .limitForPeriod(Math.max(1, perMinute))
                .limitRefreshPeriod(PERIOD)
                .timeoutDuration(Duration.ZERO)
                .build());
    }

    /** The redeliveries a key may queue a minute; 0 when unlimited. */
    int perMinute() {
        return perMinute;
    }

    /** Takes one redelivery from the key's budget; false when it is spent. */
    boolean tryAcquire(String keyId) {
        return perMinute <= 0 || registry.rateLimiter(keyId).acquirePermission();
    }
}
