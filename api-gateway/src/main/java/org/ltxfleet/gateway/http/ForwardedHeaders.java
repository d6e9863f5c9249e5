package org.ltxfleet.gateway.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code X-Forwarded-Proto}, {@code -Host} and {@code -Port} headers a proxy sets, read
 * strictly, since they become the base of links the gateway hands out: the first value of a comma
 * list (what the client reached the first proxy with; each later proxy appends its own), and only
 * a value the header may hold. Anything else gives null and is ignored, never half-used.
 */
final class ForwardedHeaders {

    /** Proxies may append further values: the client's is the first. */
    private static final Pattern FIRST = Pattern.compile("^\\s*([^,]*?)\\s*(,|$)");
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    /** A DNS name or IPv4 address, or a bracketed IPv6 literal; then an optional port. No path, query or user info. */
    private static final Pattern HOST_PORT = Pattern.compile(
            "(" + LABEL + "(?:\\." + LABEL + ")*\\.?|\\[[0-9A-Fa-f:.]+])(?::(\\d{1,5}))?");
    private static final int LONGEST_NAME = 253;

    private ForwardedHeaders() {
    }

    /** {@code http} or {@code https} from {@code X-Forwarded-Proto}; null for anything else. */
    static String proto(String header) {
        String value = first(header);
        if (value == null) {
            return null;
        }
        String lower = value.toLowerCase(java.util.Locale.ROOT);
        return lower.equals("http") || lower.equals("https") ? lower : null;
    }

    /** {@code host[:port]} from {@code X-Forwarded-Host}; null unless it is exactly a host and a valid port. */
    static String host(String header) {
        String value = first(header);
        if (value == null) {
            return null;
        }
        Matcher matcher = HOST_PORT.matcher(value);
        if (!matcher.matches() || matcher.group(1).length() > LONGEST_NAME) {
            return null;
        }
        String name = matcher.group(1);
        if (name.startsWith("[") && TrustedProxies.literal(name) == null) {
            return null;
        }
        if (matcher.group(2) != null && port(matcher.group(2)) == null) {
            return null;
        }
        return value;
    }

    /** The port from {@code X-Forwarded-Port}, 1 to 65535; null for anything else. */
    static Integer port(String header) {
        String value = first(header);
        if (value == null || !value.matches("\\d{1,5}")) {
            return null;
        }
        int port = Integer.parseInt(value);
        return port >= 1 && port <= 65_535 ? port : null;
    }

    /** Whether {@code hostPort} (as {@link #host} accepts it) names a port. */
    static boolean hasPort(String hostPort) {
        return hostPort.lastIndexOf(':') > hostPort.lastIndexOf(']');
    }

    private static String first(String header) {
        if (header == null) {
            return null;
        }
        Matcher matcher = FIRST.matcher(header);
        if (!matcher.find() || matcher.group(1).isEmpty()) {
            return null;
        }
        return matcher.group(1);
    }
}
