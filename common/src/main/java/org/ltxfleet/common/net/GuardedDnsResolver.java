package org.ltxfleet.common.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.hc.client5.http.DnsResolver;

/**
 * Name resolution for the HTTP clients that fetch users' URLs and call their webhooks: each
 * connection's one lookup goes through {@link UrlGuard#resolve}, and the client connects to the
 * addresses that were checked. A guard that looked the name up on its own before the client did
 * could be answered a public address and the client a private one (DNS rebinding).
 */
public final class GuardedDnsResolver implements DnsResolver {

    private final UrlGuard guard;

    public GuardedDnsResolver(UrlGuard guard) {
        this.guard = guard;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        return guard.resolve(host);
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        // Only Kerberos/SPNEGO asks for it; the fleet never does.
        return host;
    }
}
