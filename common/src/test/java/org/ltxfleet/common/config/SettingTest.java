package org.ltxfleet.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SettingTest {

    private static final Setting<Integer> PORT = Setting.integer("test.port", 8080, 0, 65_535, "a port");

    @Test
    void unsetReadsTheDefaultOrTheGivenFallback() {
        assertThat(PORT.read(FleetConfig.empty())).isEqualTo(8080);
        assertThat(PORT.read(FleetConfig.empty(), 9000)).isEqualTo(9000);
        assertThat(PORT.read(FleetConfig.empty().with("test.port", "81"))).isEqualTo(81);
    }

    @Test
    void badValuesFailNamingTheKeyAndItsEnvironmentVariable() {
        assertThatThrownBy(() -> PORT.read(FleetConfig.empty().with("test.port", "99999")))
                .hasMessageContaining("test.port").hasMessageContaining("FLEET_TEST_PORT")
                .hasMessageContaining("from 0 to 65535").hasMessageContaining("99999");
        assertThatThrownBy(() -> PORT.read(FleetConfig.empty().with("test.port", "80x")))
                .hasMessageContaining("a whole number");
        assertThatThrownBy(() -> Setting.flag("test.flag", false, "f").read(FleetConfig.empty().with("test.flag", "maybe")))
                .hasMessageContaining("true or false");
        assertThatThrownBy(() -> Setting.decimal("test.d", 1, 0, 2, "d").read(FleetConfig.empty().with("test.d", "NaN")))
                .hasMessageContaining("a number");
    }

    @Test
    void defaultsShowAsTheReadmeWritesThem() {
        assertThat(PORT.defaultText()).isEqualTo("8080");
        assertThat(Setting.text("t", "x", "d").defaultText()).isEqualTo("`x`");
        assertThat(Setting.text("t", null, "d").defaultText()).isEqualTo("—");
        assertThat(PORT.defaultShownAs("CPU count").defaultText()).isEqualTo("CPU count");
    }
}
