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
    void acknowledgedOffsetsCountUntilAViewHoldsThem() {
        var unseen = new JobPlacement.Unseen();
        for (long offset = 10; offset < 20; offset++) {
            unseen.add(offset);
        }
        unseen.add(12); // the same record's acknowledgement counts once
        assertThat(unseen.count()).isEqualTo(10);

        unseen.forgetBelow(15);
        assertThat(unseen.count()).as("15 to 19 are past the view's end").isEqualTo(5);
        unseen.add(25);
        unseen.forgetBelow(15);
        assertThat(unseen.count()).isEqualTo(6);
        unseen.forgetBelow(100);
        assertThat(unseen.count()).isZero();
    }

    @Test
    void idsFromABlockOfRandomBytesAreDistinctVersion4Uuids() {
        var ids = new JobPlacement.RandomIds();
        var seen = new java.util.HashSet<UUID>();
        long ones = 0;
        for (int i = 0; i < 10_000; i++) { // many blocks of random bytes
            UUID id = ids.next();
            assertThat(id.version()).isEqualTo(4);
            assertThat(id.variant()).as("IETF variant").isEqualTo(2);
            assertThat(seen.add(id)).as("id %s drawn twice", id).isTrue();
            ones += Long.bitCount(id.getMostSignificantBits()) + Long.bitCount(id.getLeastSignificantBits());
        }
        // 122 random bits and 2 fixed ones in 4 + 2: about 63 of 128 set; a stuck block would be far off.
        assertThat(ones / 10_000.0).isBetween(61.5, 64.5);
    }

    @Test
    void anIdsTextIsSpelledAsUuidToStringSpellsIt() {
        byte[] text = new byte[36];
        for (UUID id : new UUID[] {new UUID(0, 0), new UUID(-1, -1), new UUID(0x0123456789abcdefL, 0xfedcba9876543210L)}) {
            JobPlacement.format(id, text);
            assertThat(new String(text, StandardCharsets.US_ASCII)).isEqualTo(id.toString());
        }
        for (int i = 0; i < 1000; i++) {
            UUID id = UUID.randomUUID();
            JobPlacement.format(id, text);
            assertThat(new String(text, StandardCharsets.US_ASCII)).isEqualTo(id.toString());
        }
    }

    @Test
    void anIdDrawnForAPartitionHashesToIt() {
        for (int partition = 0; partition < 6; partition++) {
            String id = JobPlacement.idOnPartition(partition, 6);
            assertThat(UUID.fromString(id).toString()).as("a UUID's own spelling").isEqualTo(id);
            assertThat(UUID.fromString(id).version()).as("still a random UUID").isEqualTo(4);
            assertThat(JobPlacement.partitionOf(id, 6)).isEqualTo(partition);
        }
    }
}
