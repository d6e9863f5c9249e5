package org.ltxfleet.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class PublicBaseTest {

    private static final TrustedProxies INGRESS = TrustedProxies.parse("10.0.0.0/8");
    private static final UnaryOperator<String> FORWARDED = headers(Map.of("X-Forwarded-Proto", "https",
            "X-Forwarded-Host", "api.example.com"));

    @Test
    void aTrustedProxysForwardedSchemeAndHostMakeTheBase() {
        assertThat(new PublicBase(null, INGRESS).of("10.1.1.1", "http", "gateway:8080", FORWARDED))
                .isEqualTo("https://api.example.com");
    }

    @Test
    void anUntrustedPeersForwardedHeadersAreIgnored() {
        assertThat(new PublicBase(null, INGRESS).of("203.0.113.9", "http", "gateway:8080", FORWARDED))
                .isEqualTo("http://gateway:8080");
        assertThat(new PublicBase(null, TrustedProxies.NONE).of("10.1.1.1", "http", "gateway:8080", FORWARDED))
                .isEqualTo("http://gateway:8080");
    }

    @Test
    void theConfiguredPublicUrlWins() {
        assertThat(new PublicBase("https://fleet.example.com/", INGRESS).of("10.1.1.1", "http", "gateway:8080",
                FORWARDED)).isEqualTo("https://fleet.example.com");
    }

    @Test
    void aForwardedPortIsAddedUnlessTheHostHasOneOrItIsTheDefault() {
        var base = new PublicBase(null, INGRESS);
        assertThat(base.of("10.1.1.1", "http", "gateway:8080", headers(Map.of("X-Forwarded-Proto", "https",
                "X-Forwarded-Host", "api.example.com", "X-Forwarded-Port", "8443"))))
                .isEqualTo("https://api.example.com:8443");
        assertThat(base.of("10.1.1.1", "http", "gateway:8080", headers(Map.of("X-Forwarded-Proto", "https",
                "X-Forwarded-Host", "api.example.com", "X-Forwarded-Port", "443"))))
                .isEqualTo("https://api.example.com");
        assertThat(base.of("10.1.1.1", "http", "gateway:8080", headers(Map.of("X-Forwarded-Proto", "https",
                "X-Forwarded-Host", "api.example.com:9443", "X-Forwarded-Port", "443"))))
                .isEqualTo("https://api.example.com:9443");
    }

    @Test
    void aTrustedProxysMalformedHeaderIsIgnoredAndTheOthersStillCount() {
        var base = new PublicBase(null, INGRESS);
        assertThat(base.of("10.1.1.1", "http", "api.example.com", headers(Map.of("X-Forwarded-Proto", "https",
                "X-Forwarded-Host", "evil.example/x")))).isEqualTo("https://api.example.com");
        assertThat(base.of("10.1.1.1", "http", "gateway:8080", headers(Map.of("X-Forwarded-Proto", "gopher",
                "X-Forwarded-Host", "api.example.com")))).isEqualTo("http://api.example.com");
    }

    private static UnaryOperator<String> headers(Map<String, String> values) {
        return values::get;
    }
}
