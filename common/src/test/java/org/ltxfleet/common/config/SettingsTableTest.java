package org.ltxfleet.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class SettingsTableTest {

    @Test
    void theReadmeTableIsTheGeneratedOne() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        assertThat(SettingsTable.current(readme))
                .as("README's settings table is stale: run SettingsTable with ../README.md (see its Javadoc)")
                .isEqualTo(SettingsTable.markdown());
    }

    @Test
    void everyKeyIsDeclaredOnceAndDocumented() {
        var keys = new HashSet<String>();
        for (Setting<?> setting : Settings.ALL) {
            assertThat(keys.add(setting.key())).as(setting.key() + " declared twice").isTrue();
            assertThat(setting.doc()).as(setting.key()).isNotBlank().doesNotContain("|");
        }
    }

    @Test
    void everySettingDeclaredIsListed() throws Exception {
        long declared = java.util.Arrays.stream(Settings.class.getFields())
                .filter(f -> f.getType() == Setting.class).count();
        assertThat(Settings.ALL).hasSize((int) declared);
    }
}
