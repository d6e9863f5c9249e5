package org.ltxfleet.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedeliveryBudgetTest {

    @Test
    void aKeyMayQueueItsBudgetAMinuteAndOtherKeysTheirs() {
        var budget = new RedeliveryBudget(3);
        for (int i = 0; i < 3; i++) {
            assertThat(budget.tryAcquire("k")).isTrue();
        }
        assertThat(budget.tryAcquire("k")).isFalse();
        assertThat(budget.tryAcquire("other")).isTrue();
    }

    @Test
    void zeroMeansNoLimit() {
        var budget = new RedeliveryBudget(0);
        for (int i = 0; i < 1000; i++) {
            assertThat(budget.tryAcquire("k")).isTrue();
        }
    }
}
