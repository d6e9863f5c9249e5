package org.ltxfleet.gateway.auth;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import java.time.Duration;

/**
 * Per-key request budgets: {@code perSecond} calls a second for each API key, refilled every
 * second, never waiting (an over-budget call is answered 429 with {@code Retry-After: 1}). Zero
 * disables it. Per gateway instance: with N instances behind a balancer a key gets up to N times
 * the budget.
 */
public final class RateLimits {

    private final RateLimiterRegistry registry;
    private final boolean enabled;

    /** Budgets of {@code perSecond} calls a second per key; 0 means unlimited. */
    public RateLimits(int perSecond) {
        this.enabled = perSecond > 0;
        this.registry = RateLimiterRegistry.of(RateLimiterConfig.custom()
                .limitForPeriod(Math.max(1, perSecond))
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build());
    }

    /** Takes one call from the key's budget; false when it is spent. */
    public boolean tryAcquire(String keyId) {
        return !enabled || registry.rateLimiter(keyId).acquirePermission();
    }
}
