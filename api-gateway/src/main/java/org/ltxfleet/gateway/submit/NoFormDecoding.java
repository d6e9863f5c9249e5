package org.ltxfleet.gateway.submit;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * Keeps a submit body away from Vert.x's form decoder. The body is JSON whatever its Content-Type,
 * as fal reads it, but a form or multipart type (curl's {@code --data} sends form-urlencoded) makes
 * the body handler decode it as a form, which refuses anything past 1 KiB with a 400 that says
 * nothing. Without the header the body handler keeps the bytes. A platform handler, so Vert.x
 * lets it run before the body handler.
 */
public final class NoFormDecoding implements PlatformHandler {

    @Override
    public void handle(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (type != null && (type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33)
                || type.regionMatches(true, 0, "multipart/", 0, 10))) {
            ctx.request().headers().remove(HttpHeaders.CONTENT_TYPE);
        }
        ctx.next();
    }
}
