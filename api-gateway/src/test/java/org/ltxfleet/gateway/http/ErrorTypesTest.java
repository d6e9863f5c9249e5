package org.ltxfleet.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** fal's request error types where they mean the case, plain status names elsewhere. */
class ErrorTypesTest {

    @Test
    void falsTypesKeepTheirMeaning() {
        assertThat(ErrorTypes.forStatus(504)).isEqualTo("request_timeout");
        assertThat(ErrorTypes.forStatus(503)).isEqualTo("runner_scheduling_failure");
        assertThat(ErrorTypes.forStatus(499)).isEqualTo("client_cancelled");
        // A stalled upload body is not a job that failed to start in time.
        assertThat(ErrorTypes.forStatus(408)).isEqualTo("body_timeout");
        assertThat(ErrorTypes.forStatus(418)).isEqualTo("bad_request");
        assertThat(ErrorTypes.forStatus(502)).isEqualTo("internal_error");
    }
}
