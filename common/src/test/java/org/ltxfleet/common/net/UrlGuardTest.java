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
            "http://172.16.0.1/x", "http://192.168.1.1/x", "http://169.254.169.254/latest/meta-data",
            "http://100.64.0.1/x", "http://0.0.0.0/x", "http://[::1]/x", "http://[fd00::1]/x",
            "http://[fe80::1]/x", "http://[::ffff:127.0.0.1]/x", "http://224.0.0.1/x"})
    void refusesNonPublicTargets(String url) {
        assertThatThrownBy(() -> guard.check(URI.create(url)))
                .isInstanceOf(RefusedUrlException.class).hasMessageContaining("non-public");
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
