package org.ltxfleet.gateway.auth;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import java.time.Duration;

/**
 * Per-key request budgets, refilled every second, never waiting (an over-budget call is answered
 * 429 with {@code Retry-After: 1}); zero disables one. Reads of a job (status, status stream,
 * result, webhook attempts) have a budget of their own: fal's clients poll status every 0.1 s
 * (Python) or 0.5 s (JS) per job, so a key with 50 jobs being watched must not crowd out, or be
 * crowded out by, its submits. Per gateway process: with N processes behind a balancer a key
 * gets up to N times each budget.
 */
public final class RateLimits {

    /** Which budget a call draws on. */
    public enum Budget {
        /** Submits, cancels, redeliveries, usage. */
        CALLS,
        /** Status, status stream, result and webhook-attempt reads. */
        READS
    }

    private final Limiter calls;
    private final Limiter reads;

    /** Budgets of {@code callsPerSecond} and {@code readsPerSecond} a second per key; 0 means unlimited. */
    public RateLimits(int callsPerSecond, int readsPerSecond) {
        this.calls = new Limiter(callsPerSecond);
        this.reads = new Limiter(readsPerSecond);
    }

    /** Takes one call from the key's budget; false when it is spent. */
    public boolean tryAcquire(String keyId, Budget budget) {
        return (budget == Budget.READS ? reads : calls).tryAcquire(keyId);
    }

    private static final class Limiter {
        private final RateLimiterRegistry registry;
        private final boolean enabled;

        Limiter(int perSecond) {
            this.enabled = perSecond > 0;
            this.registry = RateLimiterRegistry.of(RateLimiterConfig.custom()
                    .limitForPeriod(Math.max(1, perSecond))
                    .limitRefreshPeriod(Duration.ofSeconds(1))
                    .timeoutDuration(Duration.ZERO)
                    .build());
        }

        boolean tryAcquire(String keyId) {
            return !enabled || registry.rateLimiter(keyId).acquirePermission();
        }
    }
}
