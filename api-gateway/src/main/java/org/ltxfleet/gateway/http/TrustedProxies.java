package org.ltxfleet.gateway.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.ltxfleet.common.config.Settings;

/**
 * The peers whose {@code X-Forwarded-*} headers the gateway believes ({@code gateway.trusted.proxies}):
 * IP addresses and CIDR ranges, IPv4 and IPv6. Only literal addresses are accepted, so reading the
 * setting or checking a peer never asks DNS. An IPv4-mapped IPv6 peer ({@code ::ffff:10.0.0.1})
 * is the IPv4 address it maps. Immutable and thread-safe.
 */
public final class TrustedProxies {

    /** Trusts no peer: the default, so forwarded headers mean nothing until an operator says whose to believe. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)"
            + "(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    /** One range: the network's address bytes and how many leading bits must match. */
    private record Range(byte[] network, int prefixBits) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int fullBytes = prefixBits / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int restBits = prefixBits % 8;
            if (restBits == 0) {
                return true;
            }
            int mask = 0xff << (8 - restBits) & 0xff;
            return (address[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /**
     * The proxies a comma-separated list names ({@code 10.0.0.0/8, 192.168.1.7, fd00::/8}); null or
     * blank trusts none. A malformed entry fails naming the setting and the entry.
     */
    public static TrustedProxies parse(String list) {
        if (list == null || list.isBlank()) {
            return NONE;
        }
        var ranges = new ArrayList<Range>();
        for (String entry : list.split(",")) {
            String trimmed = entry.trim();
            if (!trimmed.isEmpty()) {
                ranges.add(range(trimmed));
            }
        }
        return new TrustedProxies(ranges);
    }

    /** Whether {@code peer}, the literal IP of a TCP peer, is one of the trusted proxies (false when it is no IP). */
    public boolean trusts(String peer) {
        if (ranges.isEmpty() || peer == null) {
            return false;
        }
        InetAddress address = literal(peer);
        if (address == null) {
            return false;
        }
        byte[] bytes = address.getAddress();
        return ranges.stream().anyMatch(range -> range.contains(bytes));
    }

    /** Whether no peer is trusted. */
    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    private static Range range(String entry) {
        int slash = entry.indexOf('/');
        String ip = slash < 0 ? entry : entry.substring(0, slash);
        InetAddress address = literal(ip);
        if (address == null) {
            throw invalid(entry, "is not an IP address or CIDR range");
        }
        int maxBits = address.getAddress().length * 8;
        int bits = maxBits;
        if (slash >= 0) {
            String suffix = entry.substring(slash + 1);
            if (!suffix.matches("\\d{1,3}") || Integer.parseInt(suffix) > maxBits) {
                throw invalid(entry, "has a prefix length other than 0 to " + maxBits);
            }
            bits = Integer.parseInt(suffix);
        }
        return new Range(address.getAddress(), bits);
    }

    /**
     * The address {@code text} spells, or null when it is no IP literal. IPv6 goes through
     * {@link InetAddress#getByName} in brackets, which parses a literal and never resolves a name.
     */
    static InetAddress literal(String text) {
        String ip = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        try {
            if (IPV4.matcher(ip).matches()) {
                return InetAddress.getByName(ip);
            }
            if (ip.contains(":") && IPV6_CHARS.matcher(ip).matches()) {
                return InetAddress.getByName("[" + ip + "]");
            }
        } catch (UnknownHostException e) {
            // not a literal: named below by the caller, or an untrusted peer
        }
        return null;
    }

    private static IllegalArgumentException invalid(String entry, String problem) {
        var setting = Settings.GATEWAY_TRUSTED_PROXIES;
        return new IllegalArgumentException("setting " + setting.key() + " (" + setting.envName() + "): '" + entry
                + "' " + problem);
    }
}
