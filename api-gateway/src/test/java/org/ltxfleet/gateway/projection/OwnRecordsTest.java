package org.ltxfleet.gateway.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OwnRecordsTest {

    private static final TopicPartition JOBS_0 = new TopicPartition("ltx.jobs", 0);
    private static final TopicPartition JOBS_1 = new TopicPartition("ltx.jobs", 1);

    @Test
    void onlyTheRecordsThisGatewayWroteArePassedOverAndEachOnce() {
        var own = new OwnRecords();
        own.add(JOBS_0, 7);
        assertThat(own.take(JOBS_1, 7)).as("another partition's record at the same offset").isFalse();
        assertThat(own.take(JOBS_0, 6)).as("another producer's record").isFalse();
        assertThat(own.take(JOBS_0, 7)).isTrue();
        assertThat(own.take(JOBS_0, 7)).as("read once").isFalse();
    }

    @Test
    void offsetsTheReaderHasPassedAreForgotten() {
        var own = new OwnRecords();
        // Acknowledgements handled after the reader had read the records back: never taken.
        own.add(JOBS_0, 3);
        own.add(JOBS_0, 4);
        own.add(JOBS_0, 9);
        own.add(JOBS_1, 2);
        own.forgetBelow(Map.of(JOBS_0, 5L, JOBS_1, 2L));
        assertThat(own.size()).isEqualTo(2);
        assertThat(own.take(JOBS_0, 9)).isTrue();
        assertThat(own.take(JOBS_1, 2)).isTrue();
        assertThat(own.size()).isZero();
    }
}
