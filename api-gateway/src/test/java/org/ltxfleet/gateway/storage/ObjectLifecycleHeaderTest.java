package org.ltxfleet.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ltxfleet.common.job.ValidationProblem;

class ObjectLifecycleHeaderTest {

    private final List<ValidationProblem> problems = new ArrayList<>();

    @Test
    void falsClientPreferencesAreRead() {
        assertThat(ObjectLifecycleHeader.expirationSeconds(ObjectLifecycleHeader.OUTPUTS, "{\"expiration_duration_seconds\":3600}", null, problems))
                .isEqualTo(3600L);
        assertThat(ObjectLifecycleHeader.expirationSeconds(ObjectLifecycleHeader.OUTPUTS, 
                "{\"expiration_duration_seconds\":60,\"initial_acl\":\"private\"}", null, problems)).isEqualTo(60L);
        assertThat(problems).isEmpty();
    }

    @Test
    void withoutAnExpirationTheDefaultHolds() {
        Duration day = Duration.ofDays(1);
        assertThat(ObjectLifecycleHeader.expirationSeconds(ObjectLifecycleHeader.OUTPUTS, null, day, problems)).isEqualTo(86400L);
        assertThat(ObjectLifecycleHeader.expirationSeconds(ObjectLifecycleHeader.OUTPUTS, "{\"initial_acl\":\"public\"}", day, problems))
                .isEqualTo(86400L);
        assertThat(ObjectLifecycleHeader.expirationSeconds(ObjectLifecycleHeader.OUTPUTS, " ", null, problems)).isNull();
        assertThat(problems).isEmpty();
    }

    @Test
    void aSubmitsHugeOrNullExpirationIsAcceptedAsFalDocumentsIt() {
        // The probe of issue #27: a hundred years on a submit got a 422 from a ten-year cap fal does not have.
        assertThat(ObjectLifecycleHeader.expirationSeconds(ObjectLifecycleHeader.OUTPUTS,
                "{\"expiration_duration_seconds\":3153600000}", Duration.ofDays(1), problems)).isEqualTo(3_153_600_000L);
        // Past any instant a clock can hold: kept, never an overflow.
        assertThat(ObjectLifecycleHeader.expirationSeconds(ObjectLifecycleHeader.OUTPUTS,
                "{\"expiration_duration_seconds\":1e300}", Duration.ofDays(1), problems)).isNull();
        assertThat(problems).isEmpty();
    }

    @Test
    void anyPositiveNumberOfSecondsIsAcceptedAsFalDocumentsIt() {
        // A hundred years: fal sets no cap.
        assertThat(ObjectLifecycleHeader.expirationSeconds(ObjectLifecycleHeader.UPLOAD,
                "{\"expiration_duration_seconds\":3153600000}", null, problems)).isEqualTo(3_153_600_000L);
        // Past any date the store can keep: kept.
        assertThat(ObjectLifecycleHeader.expirationSeconds(ObjectLifecycleHeader.UPLOAD,
                "{\"expiration_duration_seconds\":99999999999999999999}", null, problems)).isNull();
        assertThat(problems).isEmpty();
    }

    @Test
    void nullMeansNoExpirationWhateverTheDefault() {
        assertThat(ObjectLifecycleHeader.expirationSeconds(ObjectLifecycleHeader.OUTPUTS,
                "{\"expiration_duration_seconds\":null}", Duration.ofDays(1), problems)).isNull();
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"7d", "null", "[1]", "{\"expiration_duration_seconds\":0}",
            "{\"expiration_duration_seconds\":-5}", "{\"expiration_duration_seconds\":true}",
            "{\"expiration_duration_seconds\":\"3600\"}", "{"})
    void anythingElseIsAProblemNamingTheHeader(String header) {
        assertThat(ObjectLifecycleHeader.expirationSeconds(ObjectLifecycleHeader.OUTPUTS, header, null, problems)).isNull();
        assertThat(problems).singleElement()
                .satisfies(p -> assertThat(p.loc()).containsExactly("header", "x-fal-object-lifecycle-preference"));
    }
}
