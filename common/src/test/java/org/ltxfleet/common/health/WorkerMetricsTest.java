package org.ltxfleet.common.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.JobEvent;
import org.ltxfleet.common.event.Payloads;

class WorkerMetricsTest {

    @Test
    void progressReportsSetTheStepTimeGaugeAndEveryEventIsCounted() {
        try (var metrics = new WorkerMetrics("train")) {
            assertThat(metrics.scrape()).contains("fleet_worker_seconds_per_step{stage=\"train\"} 0.0");
            metrics.eventWritten(JobEvent.of("r", "k", EventType.PROGRESS, "w",
                    new Payloads.Progress("train", 5, 100, 0.5, 1e-4, 0.125, 12.0)));
            metrics.eventWritten(JobEvent.of("r", "k", EventType.PROGRESS, "w",
                    new Payloads.Progress("preprocess", 1, 3, null, null, null, null)));
            String scrape = metrics.scrape();
            assertThat(scrape).contains("fleet_worker_seconds_per_step{stage=\"train\"} 0.125")
                    .containsPattern("fleet_worker_events_total\\{[^}]*type=\"job.progress\"[^}]*} 2");
        }
    }
}
