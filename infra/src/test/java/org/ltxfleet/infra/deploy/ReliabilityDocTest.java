package org.ltxfleet.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every test docs/RELIABILITY.md names as evidence exists, down to the method where one is named. */
class ReliabilityDocTest {

    private static final Pattern NAMED = Pattern.compile("`([A-Z]\\w*(?:IT|Test))(?:\\.(\\w+))?`");

    @Test
    void everyTestTheReliabilityDocNamesExists() throws IOException {
        Path root = Path.of("..");
        String doc = Files.readString(root.resolve("docs/RELIABILITY.md"));
        List<Path> sources;
        try (Stream<Path> files = Files.walk(root, 12)) {
            sources = files.filter(f -> f.toString().contains("src/test/java") && f.toString().endsWith(".java")).toList();
        }
        var missing = new ArrayList<String>();
        var matcher = NAMED.matcher(doc);
        int named = 0;
        while (matcher.find()) {
            named++;
            String type = matcher.group(1);
            var file = sources.stream().filter(f -> f.getFileName().toString().equals(type + ".java")).findFirst();
            if (file.isEmpty()) {
                missing.add(type);
            } else if (matcher.group(2) != null && !Files.readString(file.get()).contains(" " + matcher.group(2) + "(")) {
                missing.add(type + "." + matcher.group(2));
            }
        }
        assertThat(named).isGreaterThan(40);
        assertThat(missing).as("tests named in docs/RELIABILITY.md that do not exist").isEmpty();
    }
}
