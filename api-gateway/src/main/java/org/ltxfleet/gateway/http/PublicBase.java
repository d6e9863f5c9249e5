package org.ltxfleet.gateway.http;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.function.UnaryOperator;

/**
 * Where clients reach this gateway: the base of every URL it hands out ({@code response_url},
 * {@code status_url}, {@code cancel_url}, upload URLs). {@code gateway.public.url} when it is set;
 * else, for a request whose TCP peer is a trusted proxy ({@code gateway.trusted.proxies}), the
 * scheme, host and port that proxy forwarded, each where valid; else the request's own scheme and
 * Host. Headers from any other peer are ignored: a client could otherwise have the gateway hand
 * out links to a host of its choosing.
 *
 * @param configuredUrl {@code gateway.public.url}, or null
 * @param proxies       the peers whose {@code X-Forwarded-*} headers count
 */
public record PublicBase(String configuredUrl, TrustedProxies proxies) {

    /** The base for a request, without a trailing slash. */
    public String of(RoutingContext ctx) {
        if (configuredUrl != null) {
            return stripSlash(configuredUrl);
        }
        var request = ctx.request();
        String host = request.getHeader("Host");
        if (host == null || host.isBlank()) {
            host = request.authority() == null ? "localhost" : request.authority().toString();
        }
        SocketAddress peer = request.remoteAddress();
        return of(peer == null ? null : peer.hostAddress(), request.scheme(), host, request::getHeader);
    }

    /**
     * The base for a request from {@code peer} (its IP) that arrived with {@code scheme} and
     * {@code host}, whose headers {@code header} looks up.
     */
    String of(String peer, String scheme, String host, UnaryOperator<String> header) {
        if (configuredUrl != null) {
            return stripSlash(configuredUrl);
        }
        if (!proxies.trusts(peer)) {
            return scheme + "://" + host;
        }
        String proto = ForwardedHeaders.proto(header.apply("X-Forwarded-Proto"));
        String forwardedHost = ForwardedHeaders.host(header.apply("X-Forwarded-Host"));
        String base = proto != null ? proto : scheme;
        String authority = forwardedHost != null ? forwardedHost : host;
        // Proxies such as ingress-nginx send the host without its port (nginx's $host) and the
        // port apart; a scheme's default port is left out, as browsers and clients write URLs.
        Integer port = ForwardedHeaders.port(header.apply("X-Forwarded-Port"));
        if (port != null && !ForwardedHeaders.hasPort(authority) && port != defaultPort(base)) {
            authority = authority + ":" + port;
        }
        return base + "://" + authority;
    }

    private static int defaultPort(String scheme) {
        return "https".equals(scheme) ? 443 : 80;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
