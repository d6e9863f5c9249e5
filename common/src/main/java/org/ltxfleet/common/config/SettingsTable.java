package org.ltxfleet.common.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * README's configuration table, generated from {@link Settings#ALL}: {@code main README.md}
 * rewrites the part between the markers; a test fails while the README differs.
 */
public final class SettingsTable {

    public static final String BEGIN = "<!-- settings table: generated from Settings.java by SettingsTable -->";
    public static final String END = "<!-- end of settings table -->";

    private SettingsTable() {
    }

    /** The Markdown table, one row per setting. */
    public static String markdown() {
        var table = new StringBuilder("| key | default | meaning |\n|---|---|---|\n");
        for (Setting<?> setting : Settings.ALL) {
            table.append("| `").append(setting.key()).append("` | ").append(setting.defaultText()).append(" | ")
                    .append(setting.doc()).append(" |\n");
        }
        return table.toString();
    }

    /** The table as it stands between the markers of {@code readme}. */
    public static String current(String readme) {
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("the README has no settings table markers");
        }
        return readme.substring(begin + BEGIN.length() + 1, end);
    }

    /** {@code readme} with the generated table between its markers. */
    public static String regenerate(String readme) {
        String old = current(readme);
        int at = readme.indexOf(BEGIN) + BEGIN.length() + 1;
        return readme.substring(0, at) + markdown() + readme.substring(at + old.length());
    }

    /** Rewrites the table of the README at {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        Path readme = Path.of(args[0]);
        Files.writeString(readme, regenerate(Files.readString(readme, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        System.out.println("wrote the settings table of " + readme.toAbsolutePath());
    }
}
