package org.ltxfleet.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ltxfleet.common.json.Json;

class ProgressLineTest {

    @Test
    void drawsTheFractionDoneWithLossAndEta() {
        var progress = Json.readTree("{\"stage\":\"train\",\"done\":50,\"total\":200,\"loss\":0.12345,\"eta_seconds\":30}"
                .getBytes());
        String bar = ProgressLine.bar(progress);
        assertThat(bar).contains("train").contains("50/200").contains("loss 0.1235").contains("ETA 30s");
        assertThat(bar.chars().filter(c -> c == '#').count()).isEqualTo(7);
    }

    @Test
    void aFinishedStageFillsTheBar() {
        String bar = ProgressLine.bar(Json.readTree("{\"stage\":\"preprocess\",\"done\":6,\"total\":6}".getBytes()));
        assertThat(bar).contains("#".repeat(30)).doesNotContain("loss");
    }
}
