package org.ltxfleet.gateway.projection;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.JobEvent;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.job.FileRef;
import org.ltxfleet.common.job.TrainingOutput;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.JobMessage;

/**
 * {@code ./fleet bench projection}: jobs through a {@link JobProjection} as a gateway folds them
 * (submission with an idempotency key, start, log lines, progress, completion with fal's four
 * output files, a webhook attempt), each finished longer ago than the log retention. After each
 * quarter the gateway's sweeper does its work ({@link LogSweeper}: the jobs past the retention are
 * archived, here in memory only, and evicted), and each quarter stands for more than one retention
 * of traffic, so the evictions of the quarter before are forgotten (and the jobs' outputs, kept an
 * hour, have lapsed and been deleted, as {@code ExpiredOutputs} does). Then the used heap after a full
 * collection, per job and against the first quarter: a projection whose memory follows only the
 * recent jobs stays flat as jobs go by; one that keeps every job grows with them.
 */
public final class ProjectionSoak {

    private final int jobs;

    public ProjectionSoak(int jobs) {
        if (jobs < 4) {
            throw new IllegalArgumentException("at least 4 jobs, not " + jobs);
        }
        this.jobs = jobs;
    }

    /** Runs the soak; {@code progress} is told each quarter. */
    public Map<String, Object> run(Consumer<String> progress) {
        var retention = Duration.ofHours(1);
        var projection = new JobProjection(retention);
        Instant ended = Instant.now().minus(retention).minusSeconds(60);
        long base = usedHeap();
        var result = new LinkedHashMap<String, Object>();
        result.put("jobs", jobs);
        long firstQuarter = 0;
        long archived = 0;
        for (int quarter = 1; quarter <= 4; quarter++) {
            for (int i = (quarter - 1) * jobs / 4; i < quarter * jobs / 4; i++) {
                fold(projection, "soak-" + i, ended);
            }
            Instant now = Instant.now();
            projection.dropExpiredLogs(now);
            archived += archiveAndEvict(projection, now);
            projection.takeExpiredOutputs(now); // as ExpiredOutputs does: these jobs' outputs lapsed
            projection.dropOldEvictions(now.plus(retention).plusSeconds(1));
            long used = usedHeap() - base;
            int done = quarter * jobs / 4;
            if (quarter == 1) {
                firstQuarter = used;
            }
            result.put("heap_mb_after_" + done, round(used / 1e6));
            progress.accept(done + " jobs: " + round(used / 1e6) + " MB of heap, " + used / done + " bytes a job, "
                    + projection.size() + " jobs held");
        }
        long last = usedHeap() - base;
        result.put("bytes_per_job", last / jobs);
        result.put("jobs_held", projection.size());
        result.put("jobs_archived", archived);
        // 1.0: flat (the memory follows the recent jobs); 4.0: it grows with every job ever run.
        result.put("heap_last_over_first_quarter", round((double) last / Math.max(1, firstQuarter)));
        return result;
    }

    /** What the sweeper does with the jobs past the retention, the store's write left out. */
    private static long archiveAndEvict(JobProjection projection, Instant now) {
        long evicted = 0;
        for (var jobs = projection.archivable(10_000); !jobs.isEmpty(); jobs = projection.archivable(10_000)) {
            for (SavedJob job : jobs) {
                Json.toBytes(job); // what the archive would write
                projection.evict(job.requestId(), now);
                evicted++;
            }
        }
        return evicted;
    }

    private static void fold(JobProjection projection, String id, Instant ended) {
        String key = "key-" + (id.hashCode() & 15);
        projection.submitted(new JobMessage(1, id, key, "fal-ai/ltx2-v2v-trainer", ended.minusSeconds(600),
                "https://hooks.example/" + id, "normal", UUID.randomUUID().toString(), "0".repeat(64), Json.object(),
                null, 3600L), Lane.NORMAL);
        projection.apply(event(id, key, EventType.STARTED, new Payloads.Started("train", "train-worker/w"), ended));
        for (int line = 0; line < 3; line++) {
            projection.apply(event(id, key, EventType.LOG, new Payloads.Log("INFO", "step " + line * 50 + " of 100",
                    "train"), ended));
        }
        projection.apply(event(id, key, EventType.PROGRESS, new Payloads.Progress("train", 100, 100, 0.12, 1e-4,
                1.5, 0.0), ended));
        String outputs = "https://store.example/jobs/" + id + "/outputs/";
        var output = new TrainingOutput(new FileRef(outputs + "lora.safetensors", "application/octet-stream",
                "lora.safetensors", 12_345_678), new FileRef(outputs + "config.json", "application/json", "config.json",
                1_234), new FileRef(outputs + "validation_reel.mp4", "video/mp4", "validation_reel.mp4", 456_789),
                null);
        projection.apply(event(id, key, EventType.COMPLETED, new Payloads.Completed(output, 150.0), ended));
        projection.apply(event(id, key, EventType.WEBHOOK_ATTEMPT, new Payloads.WebhookAttempt(UUID.randomUUID()
                .toString(), 1, "https://hooks.example/" + id, 200, null, 35, "delivered", null), ended));
    }

    private static JobEvent event(String id, String key, EventType type, Object payload, Instant at) {
        var event = JobEvent.of(id, key, type, "soak", payload);
        return new JobEvent(event.specVersion(), event.eventId(), id, key, type, at, "soak", event.payload());
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
