package org.ltxfleet.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ForwardedHeadersTest {

    @Test
    void protoIsHttpOrHttpsAndTheFirstOfAList() {
        assertThat(ForwardedHeaders.proto("https")).isEqualTo("https");
        assertThat(ForwardedHeaders.proto(" HTTPS , http")).isEqualTo("https");
        assertThat(ForwardedHeaders.proto("http")).isEqualTo("http");
        for (String bad : new String[] {null, "", "javascript", "ftp", "https:", ", https", "wss"}) {
            assertThat(ForwardedHeaders.proto(bad)).as(bad).isNull();
        }
    }

    @Test
    void hostIsAHostAndAnOptionalPortAndTheFirstOfAList() {
        assertThat(ForwardedHeaders.host("api.example.com")).isEqualTo("api.example.com");
        assertThat(ForwardedHeaders.host("api.example.com:8443, lb.internal")).isEqualTo("api.example.com:8443");
        assertThat(ForwardedHeaders.host("10.0.0.1:80")).isEqualTo("10.0.0.1:80");
        assertThat(ForwardedHeaders.host("[2001:db8::1]:443")).isEqualTo("[2001:db8::1]:443");
        assertThat(ForwardedHeaders.host("localhost")).isEqualTo("localhost");
    }

    @Test
    void hostWithAPathUserInfoOrBadPortIsIgnored() {
        for (String bad : new String[] {null, "", "evil.example/path", "user@evil.example", "evil.example?x=1",
                "evil.example#x", "evil.example:0", "evil.example:65536", "evil.example:99999", "evil.example:",
                "a b", "-evil.example", "evil..example", "[zz::1]", "[::1", "http://evil.example",
                "evil.example\\\\x", "\u00e9vil.example", "x".repeat(254)}) {
            assertThat(ForwardedHeaders.host(bad)).as(bad).isNull();
        }
    }

    @Test
    void portIsOneTo65535() {
        assertThat(ForwardedHeaders.port("443")).isEqualTo(443);
        assertThat(ForwardedHeaders.port("8443, 80")).isEqualTo(8443);
        for (String bad : new String[] {null, "", "0", "65536", "-1", "x", "44 3", "+443"}) {
            assertThat(ForwardedHeaders.port(bad)).as(bad).isNull();
        }
    }

    @Test
    void knowsWhetherAHostNamesAPort() {
        assertThat(ForwardedHeaders.hasPort("api.example.com:8443")).isTrue();
        assertThat(ForwardedHeaders.hasPort("api.example.com")).isFalse();
        assertThat(ForwardedHeaders.hasPort("[2001:db8::1]")).isFalse();
        assertThat(ForwardedHeaders.hasPort("[2001:db8::1]:443")).isTrue();
    }
}
