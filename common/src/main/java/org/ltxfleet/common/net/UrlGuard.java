package org.ltxfleet.common.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Refuses URLs that would make the fleet reach into its own network on a client's behalf (SSRF):
 * non-http(s) schemes, and hosts that resolve to loopback, private, link-local (cloud metadata
 * lives at 169.254.169.254), carrier-grade NAT, multicast or unspecified addresses. Every address
 * the name resolves to is checked, so a name with one public and one private address is refused.
 * Callers must check again on every redirect, or not follow redirects.
 *
 * <p>Local development turns the address check off ({@code allow.private.urls}); the scheme check
 * stays.
 */
public final class UrlGuard {

    private final boolean allowPrivate;

    /** A guard; {@code allowPrivate} lets loopback and private addresses through (local use only). */
    public UrlGuard(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** Throws {@link RefusedUrlException} naming the reason if the URL may not be fetched. */
    public void check(URI uri) throws RefusedUrlException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new RefusedUrlException(uri, "only http and https URLs are allowed");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new RefusedUrlException(uri, "the URL has no host");
        }
        if (allowPrivate) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new RefusedUrlException(uri, "the host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                throw new RefusedUrlException(uri, "the host " + host + " resolves to a non-public address ("
                        + address.getHostAddress() + "); start the fleet with --allow-private-urls for local use");
            }
        }
    }

    /** Whether an address is on the public internet. */
    public static boolean isPublic(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0                                        // "this network"
                    && !(first == 100 && second >= 64 && second < 128) // carrier-grade NAT 100.64/10
                    && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    && !(first == 198 && (second == 18 || second == 19))    // benchmarking 198.18/15
                    && first < 224;                                   // multicast and reserved
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            boolean uniqueLocal = (first & 0xfe) == 0xfc;            // fc00::/7
            boolean mappedV4 = isV4Mapped(b);
            if (mappedV4) {
                try {
                    return isPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
            return !uniqueLocal;
        }
        return false;
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }
}
