package org.ltxfleet.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The console's sources hold no way to turn text into markup or script: no innerHTML and its
 * kin, no eval, no inline script, handler or style in the page (the policy would refuse those
 * anyway; this keeps them from being written at all).
 */
class ConsoleSourcesTest {

    private static final Path ROOT = Path.of("src/main/resources", ConsoleFiles.ROOT);
    private static final Pattern MARKUP_SINKS = Pattern.compile(
            "innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\s*\\(|new Function|createContextualFragment"
                    + "|DOMParser|srcdoc");
    private static final Pattern INLINE_IN_HTML = Pattern.compile(
            "<script(?![^>]*\\bsrc=)[^>]*>|\\son[a-z]+\\s*=|\\sstyle\\s*=|javascript:", Pattern.CASE_INSENSITIVE);

    private static List<Path> files(String extension) throws IOException {
        try (Stream<Path> walk = Files.walk(ROOT)) {
            return walk.filter(p -> p.toString().endsWith(extension)).toList();
        }
    }

    @Test
    void noScriptTurnsTextIntoMarkup() throws IOException {
        List<Path> scripts = files(".js");
        assertThat(scripts).isNotEmpty();
        for (Path script : scripts) {
            assertThat(MARKUP_SINKS.matcher(Files.readString(script)).find()).as(script.toString()).isFalse();
        }
    }

    @Test
    void thePagesHoldNoInlineScriptHandlerOrStyle() throws IOException {
        List<Path> pages = files(".html");
        assertThat(pages).isNotEmpty();
        for (Path page : pages) {
            assertThat(INLINE_IN_HTML.matcher(Files.readString(page)).find()).as(page.toString()).isFalse();
        }
    }
}
