package org.ltxfleet.gateway.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ltxfleet.common.job.ValidationProblem;

class NoRetryHeaderTest {

    @ParameterizedTest
    @ValueSource(strings = {"1", "true", "yes", "TRUE", "Yes", " 1 "})
    void theValuesFalDocumentsAskForOneAttempt(String value) {
        var problems = new ArrayList<ValidationProblem>();
        assertThat(NoRetryHeader.read(value, problems)).isTrue();
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"0", "false", "no", "False", "", "  "})
    void falseValuesAndNoHeaderLeaveTheJobRetried(String value) {
        var problems = new ArrayList<ValidationProblem>();
        assertThat(NoRetryHeader.read(value, problems)).isFalse();
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "on", "y", "t", "ture", "1.0", "yes please", "-1"})
    void anythingElseIsAProblemNamingTheHeader(String value) {
        var problems = new ArrayList<ValidationProblem>();
        assertThat(NoRetryHeader.read(value, problems)).isFalse();
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.loc()).containsExactly("header", "x-fal-no-retry");
            assertThat(p.msg()).contains("x-fal-no-retry").contains("1, true or yes");
            assertThat(p.type()).isEqualTo("value_error");
        });
    }
}
