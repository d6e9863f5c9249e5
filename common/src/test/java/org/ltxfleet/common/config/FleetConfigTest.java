package org.ltxfleet.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetConfigTest {

    @Test
    void environmentOverridesTheFileAndExplicitValuesOverrideBoth(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fleet.properties");
        Files.writeString(file, "kafka.bootstrap.servers=file:9092\ngateway.port=8080\ns3.bucket=from-file\n");
        var config = FleetConfig.load(file, Map.of("FLEET_KAFKA_BOOTSTRAP_SERVERS", "env:9092",
                "FLEET_S3_BUCKET", "from-env"));
        assertThat(config.string("kafka.bootstrap.servers", null)).isEqualTo("env:9092");
        assertThat(Settings.GATEWAY_PORT.read(config)).isEqualTo(8080);
        assertThat(config.with("s3.bucket", "explicit").string("s3.bucket", null)).isEqualTo("explicit");
        assertThat(config.string("missing.key", "fallback")).isEqualTo("fallback");
    }

    @Test
    void namesTheKeyOfAMalformedValue() {
        var config = FleetConfig.load(null, Map.of("FLEET_GATEWAY_PORT", "eighty"));
        assertThatThrownBy(() -> Settings.GATEWAY_PORT.read(config))
                .hasMessageContaining("gateway.port").hasMessageContaining("FLEET_GATEWAY_PORT");
        var flags = FleetConfig.load(null, Map.of("FLEET_ALLOW_PRIVATE_URLS", "maybe"));
        assertThatThrownBy(() -> Settings.ALLOW_PRIVATE_URLS.read(flags)).hasMessageContaining("allow.private.urls");
    }

    @Test
    void readsBooleansLeniently() {
        var config = FleetConfig.load(null, Map.of("FLEET_A", "yes", "FLEET_B", "0"));
        assertThat(Setting.flag("a", false, "a").read(config)).isTrue();
        assertThat(Setting.flag("b", true, "b").read(config)).isFalse();
    }

    @Test
    void unreadableFileNamesTheFile(@TempDir Path dir) {
        assertThat(FleetConfig.load(dir.resolve("absent.properties"), Map.of()).string("x", "d")).isEqualTo("d");
    }
}
