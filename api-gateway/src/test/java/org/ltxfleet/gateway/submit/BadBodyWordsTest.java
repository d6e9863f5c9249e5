package org.ltxfleet.gateway.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.json.Json;

/**
 * Every body the parser refuses is answered in words the user acts on: no class name, stack
 * frame, library option or host path (issue #27 point 6).
 */
class BadBodyWordsTest {

    /** Class names, stack frames, library option names and host paths. */
    static final Pattern INTERNALS = Pattern.compile(
            "\\b(java|javax|com|org|io|sun|jdk)\\.[a-z]+\\.[A-Za-z.]+|Exception\\b|\\bat [a-z]+\\.|FAIL_ON_"
                    + "|getMax[A-Za-z]+\\(\\)|/tmp/|/home/|/root/|Jackson|JsonNode|Feature\\b|`");

    static Map<String, byte[]> corpus() {
        var bodies = new LinkedHashMap<String, byte[]>();
        bodies.put("trailing tokens", "{\"rank\": 8} x".getBytes(StandardCharsets.UTF_8));
        bodies.put("two objects", "{}{}".getBytes(StandardCharsets.UTF_8));
        bodies.put("NaN", "{\"learning_rate\": NaN}".getBytes(StandardCharsets.UTF_8));
        bodies.put("Infinity", "{\"learning_rate\": -Infinity}".getBytes(StandardCharsets.UTF_8));
        bodies.put("deep nesting", ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8));
        bodies.put("huge number", ("{\"rank\": " + "9".repeat(5000) + "}").getBytes(StandardCharsets.UTF_8));
        bodies.put("invalid UTF-8", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        bodies.put("lone continuation byte", new byte[] {'{', '"', (byte) 0x80, '"', ':', '1', '}'});
        bodies.put("truncated", "{\"rank\": ".getBytes(StandardCharsets.UTF_8));
        bodies.put("single quotes", "{'rank': 8}".getBytes(StandardCharsets.UTF_8));
        bodies.put("bare word", "hello".getBytes(StandardCharsets.UTF_8));
        bodies.put("control character", "{\"a\": \"x\ny\"}".getBytes(StandardCharsets.UTF_8));
        bodies.put("leading zero", "{\"rank\": 08}".getBytes(StandardCharsets.UTF_8));
        bodies.put("close without open", "}".getBytes(StandardCharsets.UTF_8));
        bodies.put("comment", "{/* c */}".getBytes(StandardCharsets.UTF_8));
        bodies.put("form body", "training_data_url=http%3A%2F%2Fx".getBytes(StandardCharsets.UTF_8));
        bodies.put("UTF-16 text", "{\"a\":1}".getBytes(StandardCharsets.UTF_16LE));
        return bodies;
    }

    @Test
    void noRefusedBodyIsAnsweredWithInternals() {
        corpus().forEach((name, body) -> {
            String detail = detailFor(body);
            assertThat(detail).as(name).isNotBlank().doesNotContainPattern(INTERNALS);
        });
    }

    @Test
    void trailingTextNamesWhereItIs() {
        assertThat(detailFor("{\"rank\": 8} x".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("the body is not valid JSON: unexpected text after the JSON value at line 1 column 13");
    }

    @Test
    void deepNestingSaysTheLimit() {
        assertThat(detailFor(("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("the body nests deeper than 1000 levels");
    }

    @Test
    void notANumberSaysSo() {
        assertThat(detailFor("{\"learning_rate\": NaN}".getBytes(StandardCharsets.UTF_8)))
                .startsWith("the body is not valid JSON: NaN and Infinity are not JSON numbers");
    }

    private static String detailFor(byte[] body) {
        try {
            Json.readTree(body);
        } catch (UncheckedIOException e) {
            return SubmitHandler.malformedJson(e);
        }
        // A body the parser takes is no case for this test.
        return "(accepted)";
    }
}
