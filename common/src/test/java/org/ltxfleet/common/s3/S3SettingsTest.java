package org.ltxfleet.common.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.config.FleetConfig;

class S3SettingsTest {

    private static final FleetConfig INTERNAL = FleetConfig.empty().with("s3.endpoint", "http://minio:9000");

    @Test
    void linksAreSignedForTheInternalEndpointUnlessAPublicOneIsSet() {
        assertThat(S3Settings.from(INTERNAL).linkEndpoint()).isEqualTo(URI.create("http://minio:9000"));
        var settings = S3Settings.from(INTERNAL.with("s3.public.endpoint", "https://files.example.com"));
        assertThat(settings.linkEndpoint()).isEqualTo(URI.create("https://files.example.com"));
        assertThat(settings.endpoint()).as("the services still talk to the internal one")
                .isEqualTo(URI.create("http://minio:9000"));
    }

    @Test
    void aPublicEndpointIsAnOriginAndNothingMoreNamingTheSetting() {
        for (String bad : new String[] {"files.example.com", "ftp://files.example.com", "https://files.example.com/s3",
                "https://files.example.com?x=1", "https://user@files.example.com", "https://"}) {
            assertThatThrownBy(() -> S3Settings.from(INTERNAL.with("s3.public.endpoint", bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("s3.public.endpoint").hasMessageContaining("FLEET_S3_PUBLIC_ENDPOINT");
        }
    }
}
