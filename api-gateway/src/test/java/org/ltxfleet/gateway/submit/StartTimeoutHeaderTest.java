package org.ltxfleet.gateway.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ltxfleet.common.job.ValidationProblem;

class StartTimeoutHeaderTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void secondsFromTheSubmissionAsTheClientsSendThem() {
        var problems = new ArrayList<ValidationProblem>();
        assertThat(SubmitHandler.startBy("30", NOW, problems)).isEqualTo(NOW.plusSeconds(30));
        assertThat(SubmitHandler.startBy(" 1.5 ", NOW, problems)).isEqualTo(NOW.plusMillis(1500));
        assertThat(SubmitHandler.startBy(null, NOW, problems)).isNull();
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "soon", "NaN", "Infinity", "1e12", "1e-9", "0x1p4", "5d", "5f", "1e2",
        "0.1", "0.05", "+5", ".5", "5.", "1_0", "\u0665"})
    void anythingElseIsAProblemNamingTheHeader(String value) {
        var problems = new ArrayList<ValidationProblem>();
        assertThat(SubmitHandler.startBy(value, NOW, problems)).isNull();
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.loc()).containsExactly("header", "x-fal-request-timeout");
            assertThat(p.type()).isEqualTo("value_error");
        });
    }
}
