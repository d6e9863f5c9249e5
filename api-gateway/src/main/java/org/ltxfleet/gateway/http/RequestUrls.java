package org.ltxfleet.gateway.http;

import io.vertx.ext.web.RoutingContext;

/**
 * The URLs of one request as fal returns them. Python's fal-client follows these URLs instead of
 * building its own, so they must point back at this gateway as the client reaches it
 * ({@link PublicBase}).
 */
public record RequestUrls(String responseUrl, String statusUrl, String cancelUrl) {

    /** The URLs of a request under an app path such as {@code /fal-ai/ltx23-trainer-v2}. */
    public static RequestUrls of(RoutingContext ctx, PublicBase base, String appPath, String requestId) {
        String response = base.of(ctx) + appPath + "/requests/" + requestId;
        return new RequestUrls(response, response + "/status", response + "/cancel");
    }
}
