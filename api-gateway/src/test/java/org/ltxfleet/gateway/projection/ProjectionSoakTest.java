package org.ltxfleet.gateway.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class ProjectionSoakTest {

    @Test
    void theSoakFoldsEveryJobAndReportsTheHeapPerJob() {
        var lines = new ArrayList<String>();
        var result = new ProjectionSoak(2_000).run(lines::add);
        assertThat(lines).hasSize(4);
        assertThat(result).containsEntry("jobs", 2_000).containsKeys("heap_mb_after_500", "heap_mb_after_2000",
                "bytes_per_job", "heap_last_over_first_quarter");
        assertThat(result.get("heap_last_over_first_quarter")).isInstanceOf(Double.class);
    }
}
