package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.JobEvent;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.Topics;

/**
 * Counts the runs of jobs, not their outcomes: every {@code job.started} of a stage on
 * {@code ltx.events}, and every hand-back or stop of a job in the worker logs of that stage
 * ({@code StageConsumer}: "{id} left without an outcome"). A job starts once per stage, plus once
 * per hand-back, and never after it ended.
 */
final class RunCount {

    /** One job's runs in one stage. */
    record Runs(String id, String stage, long starts, long handBacks, boolean startedAfterEnd) {
    }

    private static final Set<EventType> ENDS = Set.of(EventType.COMPLETED, EventType.FAILED, EventType.CANCELED);

    private RunCount() {
    }

    /** The runs of {@code ids}, from the broker at {@code bootstrap} and the logs of each stage's workers. */
    static List<Runs> count(String bootstrap, Collection<String> ids, Map<String, List<Path>> logsByStage)
            throws IOException {
        var events = new java.util.HashMap<String, List<JobEvent>>();
        for (var record : TopicScan.matching(bootstrap, List.of(Topics.EVENTS), ids::contains)) {
            events.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(Json.fromBytes(record.value(), JobEvent.class));
        }
        var runs = new ArrayList<Runs>();
        for (var stage : logsByStage.entrySet()) {
            var logs = new StringBuilder();
            for (Path log : stage.getValue()) {
                if (Files.exists(log)) {
                    logs.append(Files.readString(log));
                }
            }
            for (String id : ids) {
                List<JobEvent> mine = events.getOrDefault(id, List.of());
                long starts = 0;
                boolean ended = false;
                boolean startedAfterEnd = false;
                for (JobEvent event : mine) {
                    if (event.type() == EventType.STARTED && stage.getKey().equals(event.payload().path("stage").asText())) {
                        starts++;
                        startedAfterEnd |= ended;
                    }
                    ended |= ENDS.contains(event.type());
                }
                long handBacks = logs.toString().lines().filter(line -> line.contains(id + " left without an outcome")).count();
                runs.add(new Runs(id, stage.getKey(), starts, handBacks, startedAfterEnd));
            }
        }
        return runs;
    }

    /** Asserts that every job started once per stage and hand-back, and none after its end. */
    static void assertEachJobRanOnce(List<Runs> runs) {
        for (Runs run : runs) {
            assertThat(run.startedAfterEnd()).as("%s started in %s after it ended", run.id(), run.stage()).isFalse();
            assertThat(run.starts()).as("starts of %s in %s (%d hand-back(s))", run.id(), run.stage(), run.handBacks())
                    .isEqualTo(1 + run.handBacks());
        }
    }

    /** The stage names as the events give them. */
    static final String PREPROCESS = Payloads.STAGE_PREPROCESS;
    static final String TRAIN = Payloads.STAGE_TRAIN;
}
