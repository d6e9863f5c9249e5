package org.ltxfleet.gateway.auth;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.ltxfleet.gateway.http.Replies;

/**
 * Lets a request through only with a valid {@code Authorization: Key id:secret} and within the
 * key's budget for this kind of call; puts the key id in the context.
 */
public final class AuthHandler implements Handler<RoutingContext> {

    /** Context key of the authenticated key id. */
    public static final String KEY_ID = "keyId";

    private final ApiKeys keys;
    private final RateLimits limits;
    private final RateLimits.Budget budget;

    /** A handler checking against these keys, drawing on {@code budget}. */
    public AuthHandler(ApiKeys keys, RateLimits limits, RateLimits.Budget budget) {
        this.keys = keys;
        this.limits = limits;
        this.budget = budget;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        var keyId = keys.authenticate(header);
        if (keyId.isEmpty()) {
            ctx.response().putHeader("WWW-Authenticate", "Key");
            Replies.error(ctx, 401, header == null
                    ? "Missing Authorization header; send 'Authorization: Key <key_id>:<key_secret>'"
                    : "Invalid API key");
            return;
        }
        if (!limits.tryAcquire(keyId.get(), budget)) {
            ctx.response().putHeader("Retry-After", "1");
            Replies.error(ctx, 429, "Too many requests for this API key; retry after the Retry-After seconds");
            return;
        }
        ctx.put(KEY_ID, keyId.get());
        ctx.next();
    }

    /** The key id a previous {@link AuthHandler} put in the context. */
    public static String keyId(RoutingContext ctx) {
        return ctx.get(KEY_ID);
    }
}
