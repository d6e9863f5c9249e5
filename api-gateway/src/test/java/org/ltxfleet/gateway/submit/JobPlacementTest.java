package org.ltxfleet.gateway.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class JobPlacementTest {

    @Test
    void theHashIsTheOneKafkasProducerPartitionsKeyedRecordsWith() {
        for (int i = 0; i < 1000; i++) {
            String id = UUID.randomUUID().toString();
            for (int partitions : new int[] {1, 6, 7, 48}) {
                assertThat(JobPlacement.partitionOf(id, partitions))
                        .isEqualTo(BuiltInPartitioner.partitionForKey(id.getBytes(StandardCharsets.UTF_8), partitions));
            }
        }
    }

    @Test
    void anIdDrawnForAPartitionHashesToIt() {
        for (int partition = 0; partition < 6; partition++) {
            String id = JobPlacement.idOnPartition(partition, 6);
            assertThat(UUID.fromString(id).version()).as("still a random UUID").isEqualTo(4);
            assertThat(JobPlacement.partitionOf(id, 6)).isEqualTo(partition);
        }
    }
}
