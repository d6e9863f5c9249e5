package org.ltxfleet.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void noTopicThatHoldsAWaitingJobOrWhatAJobIsDeletesByTime() {
        // A job can wait behind a training backlog longer than any fixed time; its ready message, its
        // cancel, its submission, its events and its charge must still be there when its turn comes.
        var kept = List.of(Topics.JOBS, Topics.JOBS_OVERFLOW, Topics.JOBS_LOW, Topics.READY, Topics.CONTROL,
                Topics.EVENTS, Topics.BILLING);
        assertThat(Topics.specs()).filteredOn(spec -> kept.contains(spec.name())).hasSize(kept.size())
                .allSatisfy(spec -> assertThat(spec.retention()).as(spec.name()).isNull());
    }
}
