package org.ltxfleet.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    @Test
    void trustsAddressesInsideItsIpv4Ranges() {
        var proxies = TrustedProxies.parse("10.0.0.0/8, 192.168.1.7, 172.16.0.0/12");
        assertThat(proxies.trusts("10.1.2.3")).isTrue();
        assertThat(proxies.trusts("192.168.1.7")).isTrue();
        assertThat(proxies.trusts("172.31.255.255")).isTrue();
        assertThat(proxies.trusts("172.32.0.1")).isFalse();
        assertThat(proxies.trusts("192.168.1.8")).isFalse();
        assertThat(proxies.trusts("11.0.0.1")).isFalse();
    }

    @Test
    void matchesPrefixesThatEndInsideAByte() {
        var proxies = TrustedProxies.parse("100.64.0.0/10");
        assertThat(proxies.trusts("100.127.255.255")).isTrue();
        assertThat(proxies.trusts("100.128.0.0")).isFalse();
        assertThat(proxies.trusts("100.63.255.255")).isFalse();
    }

    @Test
    void trustsAddressesInsideItsIpv6Ranges() {
        var proxies = TrustedProxies.parse("fd00::/8,2001:db8::1");
        assertThat(proxies.trusts("fd12:3456::1")).isTrue();
        assertThat(proxies.trusts("0:0:0:0:0:0:0:1")).isFalse();
        assertThat(proxies.trusts("2001:db8:0:0:0:0:0:1")).isTrue();
        assertThat(proxies.trusts("2001:db8::2")).isFalse();
        // An IPv6 range never holds an IPv4 peer, and the other way round.
        assertThat(proxies.trusts("10.0.0.1")).isFalse();
        assertThat(TrustedProxies.parse("0.0.0.0/0").trusts("::2")).isFalse();
    }

    @Test
    void anIpv4MappedPeerIsTheIpv4AddressItMaps() {
        assertThat(TrustedProxies.parse("10.0.0.0/8").trusts("::ffff:10.0.0.1")).isTrue();
    }

    @Test
    void trustsNobodyByDefault() {
        assertThat(TrustedProxies.parse(null).trusts("127.0.0.1")).isFalse();
        assertThat(TrustedProxies.parse(" ").isEmpty()).isTrue();
        assertThat(TrustedProxies.NONE.trusts("::1")).isFalse();
    }

    @Test
    void aPeerThatIsNoIpIsNotTrusted() {
        var proxies = TrustedProxies.parse("0.0.0.0/0");
        assertThat(proxies.trusts(null)).isFalse();
        assertThat(proxies.trusts("localhost")).isFalse();
        assertThat(proxies.trusts("1.2.3")).isFalse();
    }

    @Test
    void refusesEntriesThatAreNoAddressOrRangeNamingTheSetting() {
        for (String bad : new String[] {"proxy.internal", "10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/8x",
                "256.1.1.1", "1.2.3", "fd00::zz", "10.0.0.1/-1"}) {
            assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.1, " + bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gateway.trusted.proxies").hasMessageContaining("FLEET_GATEWAY_TRUSTED_PROXIES")
                    .hasMessageContaining("'" + bad + "'");
        }
    }
}
