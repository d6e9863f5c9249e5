package org.ltxfleet.gateway.http;

import io.vertx.ext.web.RoutingContext;

/**
 * The URLs of one request as fal returns them. Python's fal-client follows these URLs instead of
 * building its own, so they must point back at this gateway: the configured public URL, else the
 * scheme and Host the client used.
 */
public record RequestUrls(String responseUrl, String statusUrl, String cancelUrl) {

    /** The URLs of a request under an app path such as {@code /fal-ai/ltx23-trainer-v2}. */
    public static RequestUrls of(RoutingContext ctx, String publicBaseUrl, String appPath, String requestId) {
        String response = base(ctx, publicBaseUrl) + appPath + "/requests/" + requestId;
        return new RequestUrls(response, response + "/status", response + "/cancel");
    }

    /** Where clients reach this gateway: the configured public URL, else the request's scheme and Host. */
    public static String base(RoutingContext ctx, String publicBaseUrl) {
        return publicBaseUrl != null ? stripSlash(publicBaseUrl) : requestBase(ctx);
    }

    private static String requestBase(RoutingContext ctx) {
        String host = ctx.request().getHeader("Host");
        if (host == null || host.isBlank()) {
            host = ctx.request().authority() == null ? "localhost" : ctx.request().authority().toString();
        }
        return ctx.request().scheme() + "://" + host;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
