package org.ltxfleet.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GatewayBenchTest {

    @Test
    void pacesAQuarterOfTheSlowestPathDownToTens() {
        assertThat(GatewayBench.pacedRate(5_900)).isEqualTo(1_470);
        assertThat(GatewayBench.pacedRate(21_433.7)).isEqualTo(5_350);
    }

    @Test
    void pacesAtLeastTenASecond() {
        assertThat(GatewayBench.pacedRate(12)).isEqualTo(10);
    }
}
