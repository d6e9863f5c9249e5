package org.ltxfleet.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.json.Json;

class JsonBuffersTest {

    @Test
    void aValueIsWrittenAsTheFleetsMapperWritesIt() {
        // Larger than the initial buffer and than Jackson's own blocks, so growing is covered too.
        var value = Map.of("detail", List.of("ü€😀\"\\".repeat(3000)), "at", java.time.Instant.EPOCH);
        assertThat(JsonBuffers.of(value).getBytes()).isEqualTo(Json.toBytes(value));
    }
}
