package org.ltxfleet.common.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1}xyz", "{\"a\":1}{\"b\":2}", "{} []", "1 2"})
    void refusesDataAfterTheValue(String text) {
        assertThatThrownBy(() -> Json.readTree(text.getBytes())).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void acceptsTrailingWhitespace() {
        assertThat(Json.readTree("{\"a\":1} \n".getBytes()).get("a").asInt()).isEqualTo(1);
    }
}
