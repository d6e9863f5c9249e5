package org.ltxfleet.gateway.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.JobEvent;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.JobMessage;

/** A key's list of requests as the projection keeps it: newest first, its own jobs only, page by page. */
class JobProjectionListTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    private final JobProjection projection = new JobProjection();

    private void submit(String id, String key, Instant at, Integer steps) {
        var input = Json.object().put("training_data_url", "https://data.example/a.zip");
        if (steps != null) {
            input.put("number_of_steps", steps);
        }
        projection.submitted(new JobMessage(1, id, key, "fal-ai/ltx23-trainer-v2/interpolate", at, null, null, null,
                null, input, null, null));
    }

    private void event(String id, String key, EventType type, Object payload) {
        projection.apply(JobEvent.of(id, key, type, "test", payload));
    }

    private static List<String> ids(List<JobSummary> jobs) {
        return jobs.stream().map(JobSummary::requestId).toList();
    }

    @Test
    void listsAKeysJobsNewestFirstAndNoOtherKeys() {
        submit("old", "k", T0, null);
        submit("new", "k", T0.plusSeconds(20), null);
        submit("mid-b", "k", T0.plusSeconds(10), null);
        submit("mid-a", "k", T0.plusSeconds(10), null);
        submit("theirs", "other", T0.plusSeconds(15), null);

        assertThat(ids(projection.newestFirst("k", null, null, 10))).containsExactly("new", "mid-a", "mid-b", "old");
        assertThat(ids(projection.newestFirst("other", null, null, 10))).containsExactly("theirs");
        assertThat(projection.newestFirst("nobody", null, null, 10)).isEmpty();
    }

    @Test
    void continuesAfterAPositionAndStopsAtTheLimit() {
        for (int i = 0; i < 7; i++) {
            submit("job-" + i, "k", T0.plusSeconds(i), null);
        }
        var first = projection.newestFirst("k", null, null, 3);
        assertThat(ids(first)).containsExactly("job-6", "job-5", "job-4");
        // a job arriving between pages is newer than the cursor: it does not shift the next page
        submit("late", "k", T0.plusSeconds(100), null);
        var second = projection.newestFirst("k", first.get(2).position(), null, 3);
        assertThat(ids(second)).containsExactly("job-3", "job-2", "job-1");
    }

    @Test
    void filtersByStateSkippingTheOthers() {
        submit("queued", "k", T0, null);
        submit("running", "k", T0.plusSeconds(1), null);
        submit("failed", "k", T0.plusSeconds(2), null);
        submit("queued-2", "k", T0.plusSeconds(3), null);
        event("running", "k", EventType.STARTED, new Payloads.Started("preprocess", "w"));
        event("failed", "k", EventType.FAILED, new Payloads.Failed(422, "no_usable_data", Json.toTree("none"), "preprocess"));

        assertThat(ids(projection.newestFirst("k", null, JobPhase.IN_QUEUE, 10))).containsExactly("queued-2", "queued");
        assertThat(projection.newestFirst("k", null, JobPhase.FAILED, 10)).singleElement().satisfies(job -> {
            assertThat(job.requestId()).isEqualTo("failed");
            assertThat(job.failureType()).isEqualTo("no_usable_data");
            assertThat(job.finishedAt()).isNotNull();
        });
        assertThat(projection.newestFirst("k", null, JobPhase.COMPLETED, 10)).isEmpty();
    }

    @Test
    void summariesCarryTheStepsAskedForAndDone() {
        submit("explicit", "k", T0, 300);
        submit("default", "k", T0.plusSeconds(1), null);
        event("explicit", "k", EventType.STARTED, new Payloads.Started("train", "w"));
        event("explicit", "k", EventType.PROGRESS, new Payloads.Progress("preprocess", 4, 4, null, null, null, null));
        event("explicit", "k", EventType.PROGRESS, new Payloads.Progress("train", 120, 300, 0.5, 2e-4, 0.1, 18.0));

        var jobs = projection.newestFirst("k", null, null, 10);
        assertThat(jobs.get(1).stepsRequested()).isEqualTo(300);
        assertThat(jobs.get(1).stepsDone()).as("train steps, not preprocess ones").isEqualTo(120L);
        assertThat(jobs.get(1).startedAt()).isNotNull();
        assertThat(jobs.get(1).endpoint()).isEqualTo("fal-ai/ltx23-trainer-v2/interpolate");
        assertThat(jobs.get(0).stepsRequested()).as("the endpoint's default").isEqualTo(2000);
        assertThat(jobs.get(0).stepsDone()).isNull();
    }

    @Test
    void stepsAreUnknownWhenTheInputNamesNoWholeNumberOfThem() {
        projection.submitted(new JobMessage(1, "words", "k", "e", T0, null, null, null, null,
                Json.object().put("number_of_steps", "many"), null, null));
        projection.submitted(new JobMessage(1, "not-an-object", "k", "e", T0.plusSeconds(1), null, null, null, null,
                Json.toTree("train please"), null, null));
        projection.submitted(new JobMessage(1, "float", "k", "e", T0.plusSeconds(2), null, null, null, null,
                Json.object().put("number_of_steps", 300.0), null, null));
        assertThat(projection.newestFirst("k", null, null, 10)).extracting(JobSummary::stepsRequested)
                .containsExactly(300, null, null);
    }

    @Test
    void anEvictedJobLeavesTheListAndARestoredProjectionListsAsBefore() {
        var shortMemory = new JobProjection(Duration.ofHours(1));
        for (String id : List.of("a", "b", "c")) {
            shortMemory.submitted(new JobMessage(1, id, "k", "e", T0.plusSeconds(id.charAt(0)), null, null, null, null,
                    Json.object(), null, null));
        }
        shortMemory.apply(JobEvent.of("b", "k", EventType.CANCELED, "test", new Payloads.Canceled("queue")));
        shortMemory.evict("b", Instant.now());
        assertThat(ids(shortMemory.newestFirst("k", null, null, 10))).containsExactly("c", "a");

        var restored = new JobProjection(Duration.ofHours(1));
        restored.restore(shortMemory.save());
        assertThat(ids(restored.newestFirst("k", null, null, 10))).containsExactly("c", "a");
    }
}
