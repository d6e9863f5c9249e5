package org.ltxfleet.common.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Refuses URLs that would make the fleet reach into its own network on a client's behalf (SSRF):
 * non-http(s) schemes, and hosts that resolve to loopback, private, link-local (cloud metadata
 * lives at 169.254.169.254), carrier-grade NAT, multicast or unspecified addresses, also when an
 * IPv6 address carries one of them (IPv4-mapped or -compatible, NAT64 {@code 64:ff9b::/96}, 6to4
 * {@code 2002::/16}; local NAT64 and Teredo, whose IPv4 part cannot be checked, are refused whole).
 * Every address a name resolves to is checked, so a name with one public and one private address
 * is refused. {@link #resolve} returns the addresses it checked: connecting to those (see
 * {@link GuardedDnsResolver}) leaves no second lookup for a rebinding DNS server to answer
 * differently. Callers must check again on every redirect, or not follow redirects.
 *
 * <p>Local development lets private addresses through ({@code allow.private.urls}); the scheme
 * check and the refusal of cloud metadata services stay.
 */
public final class UrlGuard {

    /** Name lookup, the system's by default; tests give their own. */
    @FunctionalInterface
    public interface Lookup {
        InetAddress[] allByName(String host) throws UnknownHostException;
    }

    private static final String LOCAL_USE = "start the fleet with --allow-private-urls for local use";

    private final boolean allowPrivate;
    private final Lookup lookup;

    /** A guard; {@code allowPrivate} lets loopback and private addresses through (local use only). */
    public UrlGuard(boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName);
    }

    /** A guard resolving names with {@code lookup}. */
    public UrlGuard(boolean allowPrivate, Lookup lookup) {
        this.allowPrivate = allowPrivate;
        this.lookup = lookup;
    }

    /** Throws {@link RefusedUrlException} naming the reason if the URL may not be fetched. */
    public void check(URI uri) throws RefusedUrlException {
        checkSchemeAndHost(uri);
        try {
            resolve(uri.getHost());
        } catch (RefusedAddressException e) {
            throw new RefusedUrlException(uri, e.getMessage());
        }
    }

    /**
     * The part of {@link #check} that needs no lookup: http(s) with a host. A client that resolves
     * through {@link GuardedDnsResolver} checks the addresses as it connects.
     */
    public void checkSchemeAndHost(URI uri) throws RefusedUrlException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new RefusedUrlException(uri, "only http and https URLs are allowed");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new RefusedUrlException(uri, "the URL has no host");
        }
    }

    /** The refusal somewhere in {@code error}'s causes, or null: what an HTTP client's failed lookup carries. */
    public static RefusedAddressException refusal(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RefusedAddressException refused) {
                return refused;
            }
        }
        return null;
    }

    /**
     * The addresses {@code host} resolves to, each checked; connect to these and no others.
     * Throws {@link RefusedAddressException} (an {@link UnknownHostException}, so HTTP clients
     * treat it as a failed lookup) saying why when one may not be reached.
     */
    public InetAddress[] resolve(String host) throws RefusedAddressException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = lookup.allByName(bare);
        } catch (UnknownHostException e) {
            throw new RefusedAddressException("the host " + host + " does not resolve");
        }
        if (addresses == null || addresses.length == 0) {
            throw new RefusedAddressException("the host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            if (isMetadataService(address)) {
                throw new RefusedAddressException("the host " + host + " resolves to " + address.getHostAddress()
                        + ", a link-local or cloud metadata address, which the fleet never calls");
            }
            if (!allowPrivate && !isPublic(address)) {
                throw new RefusedAddressException("the host " + host + " resolves to a non-public address ("
                        + address.getHostAddress() + "); " + LOCAL_USE);
            }
        }
        return addresses.clone();
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
            if (isLocalNat64(b) || isTeredo(b)) {
                return false;
            }
            InetAddress embedded = embeddedV4(b);
            if (embedded != null) {
                return isPublic(embedded);
            }
            return (b[0] & 0xfe) != 0xfc;                            // unique local fc00::/7
        }
        return false;
    }

    /**
     * Link-local addresses (IPv4 169.254/16 holds the metadata services of AWS, GCP, Azure and
     * Oracle, and ECS task credentials; IPv6 fe80::/10) and the metadata addresses outside it
     * (AWS's fd00:ec2::254, Alibaba's 100.100.100.200), also inside an IPv6 form: refused even
     * for local use, since a credential there is worth more than any test.
     */
    public static boolean isMetadataService(InetAddress address) {
        if (address.isLinkLocalAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return (b[0] & 0xff) == 100 && (b[1] & 0xff) == 100 && (b[2] & 0xff) == 100 && (b[3] & 0xff) == 200;
        }
        byte[] awsV6 = {(byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};
        if (Arrays.equals(b, awsV6)) {
            return true;
        }
        InetAddress embedded = embeddedV4(b);
        return embedded != null && isMetadataService(embedded);
    }

    /** The IPv4 address an IPv6 one carries (mapped, compatible, NAT64 well-known prefix, 6to4), or null. */
    private static InetAddress embeddedV4(byte[] b) {
        byte[] v4 = null;
        if (allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            v4 = Arrays.copyOfRange(b, 12, 16);                      // ::ffff:a.b.c.d
        } else if (allZero(b, 0, 12) && !allZero(b, 12, 16)) {
            v4 = Arrays.copyOfRange(b, 12, 16);                      // ::a.b.c.d (deprecated)
        } else if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b && allZero(b, 4, 12)) {
            v4 = Arrays.copyOfRange(b, 12, 16);                      // 64:ff9b::a.b.c.d
        } else if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            v4 = Arrays.copyOfRange(b, 2, 6);                        // 2002:aabb:ccdd::
        }
        if (v4 == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(v4);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    /** 64:ff9b:1::/48, local-use NAT64: where the IPv4 part sits is the network's choice. */
    private static boolean isLocalNat64(byte[] b) {
        return (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && (b[4] & 0xff) == 0x00 && (b[5] & 0xff) == 0x01;
    }

    /** 2001:0::/32, Teredo: the IPv4 part is obscured and the relay is someone else's. */
    private static boolean isTeredo(byte[] b) {
        return (b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && b[2] == 0 && b[3] == 0;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
