package org.ltxfleet.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class UrlGuardTest {

    private final UrlGuard guard = new UrlGuard(false);

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/x", "http://localhost:8080/x", "http://10.1.2.3/x",
            "http://172.16.0.1/x", "http://192.168.1.1/x",
            "http://100.64.0.1/x", "http://0.0.0.0/x", "http://[::1]/x", "http://[fd00::1]/x",
            "http://[::ffff:127.0.0.1]/x", "http://224.0.0.1/x",
            // private IPv4 inside IPv6: NAT64 (well-known prefix), 6to4, IPv4-compatible
            "http://[64:ff9b::7f00:1]/x", "http://[64:ff9b::a00:1]/x", "http://[2002:c0a8:101::1]/x",
            "http://[2002:7f00:1::]/x", "http://[::10.0.0.1]/x",
            // local-use NAT64 and Teredo carry IPv4 parts that cannot be checked
            "http://[64:ff9b:1::808:808]/x", "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/x"})
    void refusesNonPublicTargets(String url) {
        assertThatThrownBy(() -> guard.check(URI.create(url)))
                .isInstanceOf(RefusedUrlException.class).hasMessageContaining("non-public");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "http://169.254.170.2/v2/credentials",
            "http://100.100.100.200/latest/meta-data", "http://[fd00:ec2::254]/latest", "http://[fe80::1]/x",
            "http://[::ffff:169.254.169.254]/x", "http://[64:ff9b::a9fe:a9fe]/x", "http://[2002:a9fe:a9fe::]/x"})
    void refusesMetadataServicesEvenForLocalUse(String url) {
        for (UrlGuard either : new UrlGuard[] {guard, new UrlGuard(true)}) {
            assertThatThrownBy(() -> either.check(URI.create(url)))
                    .isInstanceOf(RefusedUrlException.class).hasMessageContaining("metadata");
        }
    }

    @Test
    void embeddedPublicAddressesStayPublic() throws Exception {
        assertThat(UrlGuard.isPublic(InetAddress.getByName("64:ff9b::808:808"))).isTrue();
        assertThat(UrlGuard.isPublic(InetAddress.getByName("2002:808:808::1"))).isTrue();
    }

    @Test
    void resolveLooksTheNameUpOnceAndReturnsWhatItChecked() throws Exception {
        var lookups = new java.util.concurrent.atomic.AtomicInteger();
        InetAddress[] publicAnswer = {InetAddress.getByName("203.0.113.7"), InetAddress.getByName("8.8.4.4")};
        var rebinding = new UrlGuard(false, host -> lookups.getAndIncrement() == 0
                ? publicAnswer : new InetAddress[] {InetAddress.getByName("127.0.0.1")});
        assertThat(rebinding.resolve("files.example.com")).containsExactly(publicAnswer);
        assertThat(lookups).hasValue(1);
        // The next lookup answers loopback: refused, so a connection made with it never happens.
        assertThatThrownBy(() -> rebinding.resolve("files.example.com"))
                .isInstanceOf(java.net.UnknownHostException.class).hasMessageContaining("127.0.0.1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "ftp://example.com/a.zip", "gopher://example.com/"})
    void refusesOtherSchemes(String url) {
        assertThatThrownBy(() -> new UrlGuard(true).check(URI.create(url)))
                .isInstanceOf(RefusedUrlException.class).hasMessageContaining("http");
    }

    @Test
    void acceptsPublicAddresses() throws Exception {
        assertThat(UrlGuard.isPublic(InetAddress.getByName("8.8.8.8"))).isTrue();
        assertThat(UrlGuard.isPublic(InetAddress.getByName("2606:4700::1111"))).isTrue();
        assertThatCode(() -> guard.check(URI.create("https://93.184.216.34/clips.zip"))).doesNotThrowAnyException();
    }

    @Test
    void localUseLetsPrivateAddressesThrough() {
        assertThatCode(() -> new UrlGuard(true).check(URI.create("http://127.0.0.1:9000/x")))
                .doesNotThrowAnyException();
    }
}
