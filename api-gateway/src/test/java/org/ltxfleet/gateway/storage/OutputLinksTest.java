package org.ltxfleet.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.json.Json;

class OutputLinksTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private final OutputLinks links = new OutputLinks(
            (object, valid) -> "https://store.test/" + object.bucket() + "/" + object.key() + "?valid=" + valid.toSeconds(),
            Duration.ofDays(7));

    private static com.fasterxml.jackson.databind.JsonNode output() {
        return Json.readTree(("{\"lora_file\":{\"url\":\"s3://fleet/jobs/r1/outputs/lora.safetensors\",\"file_name\":"
                + "\"lora.safetensors\",\"file_size\":3},\"config_file\":{\"url\":\"https://old.test/config.json\"},"
                + "\"video\":null,\"debug_dataset\":null}").getBytes());
    }

    @Test
    void storedOutputsGetALinkSignedNowAndOlderUrlsStayAsTheyAre() {
        var original = output();
        var rendered = links.render(original, null, NOW);
        assertThat(rendered.get("lora_file").get("url").asText())
                .isEqualTo("https://store.test/fleet/jobs/r1/outputs/lora.safetensors?valid=604800");
        assertThat(rendered.get("lora_file").get("file_name").asText()).isEqualTo("lora.safetensors");
        assertThat(rendered.get("config_file").get("url").asText()).isEqualTo("https://old.test/config.json");
        assertThat(rendered.get("video").isNull()).isTrue();
        // The projection's copy is never changed.
        assertThat(original.get("lora_file").get("url").asText()).startsWith("s3://");
    }

    @Test
    void aLinkNeverOutlivesItsOutput() {
        assertThat(links.render(output(), NOW.plusSeconds(90), NOW).get("lora_file").get("url").asText())
                .endsWith("?valid=90");
        assertThat(links.render(output(), NOW.minusSeconds(5), NOW).get("lora_file").get("url").asText())
                .endsWith("?valid=1");
        assertThat(links.render(output(), NOW.plus(Duration.ofDays(30)), NOW).get("lora_file").get("url").asText())
                .endsWith("?valid=604800");
    }

    @Test
    void noOutputRendersAsNoOutput() {
        assertThat(links.render(null, null, NOW)).isNull();
    }
}
