package org.ltxfleet.gateway.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ltxfleet.gateway.projection.JobPhase;
import org.ltxfleet.gateway.projection.ListPosition;

/** The store's object names must sort (as S3 lists them, by bytes) exactly as list positions do. */
class StoredHistoryTest {

    @Test
    void objectNamesSortAsPositionsDoAndReadBack() {
        var random = new Random(7);
        var positions = new ArrayList<ListPosition>();
        String[] ids = {"a", "a-b", "a.b", "a:b", "a_b", "ab", "B", "0", "z9", "8c1f0a2e-7b4d-4c1e-9f3a-2d6b5e8c7a10"};
        for (int i = 0; i < 400; i++) {
            Instant at = switch (i % 4) {
                case 0 -> Instant.ofEpochSecond(1_700_000_000L + random.nextInt(5), random.nextInt(3) * 1000);
                case 1 -> Instant.EPOCH;
                case 2 -> ListPosition.LATEST;
                default -> Instant.ofEpochSecond(random.nextLong(253_402_300_799L), random.nextInt(1_000_000_000));
            };
            positions.add(new ListPosition(at, ids[random.nextInt(ids.length)]));
        }
        List<ListPosition> byPosition = positions.stream().sorted().distinct().toList();
        List<String> byName = byPosition.stream().map(StoredHistory::name).sorted(Comparator.naturalOrder()).toList();
        assertThat(byName).isEqualTo(byPosition.stream().map(StoredHistory::name).toList());
        assertThat(byName.stream().map(StoredHistory::position).toList()).isEqualTo(byPosition);
    }

    @Test
    void eachKeyAndStateHasItsOwnPrefixWhateverTheKeyIdHoldsNoKeyReachingIntoAnother() {
        String plain = StoredHistory.listPrefix("team", null);
        String slashed = StoredHistory.listPrefix("team/all", null);
        assertThat(slashed).doesNotStartWith(plain);
        assertThat(plain).isNotEqualTo(StoredHistory.listPrefix("team", JobPhase.FAILED));
        assertThat(plain).matches("gateway/history/[0-9a-f]{64}/all/");
    }
}
