package org.ltxfleet.preprocess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.job.TrainingInput;
import org.ltxfleet.common.kafka.EventWriter;
import org.ltxfleet.common.kafka.JobMessage;
import org.ltxfleet.preprocess.archive.ArchiveInspector;
import org.ltxfleet.preprocess.archive.ArchiveLimits;
import org.ltxfleet.preprocess.dataset.ClipReport;
import org.ltxfleet.preprocess.dataset.DatasetPreparer;
import org.ltxfleet.preprocess.dataset.DebugDatasetWriter;
import org.ltxfleet.preprocess.dataset.PreprocessSettings;
import org.ltxfleet.preprocess.dataset.ValidationKeyframes;
import org.ltxfleet.preprocess.download.Downloader;

/**
 * One job's preprocessing, reported as it goes: download, archive checks, decoding, scene split
 * and windows, and the debug dataset when asked. Returns the per-clip reports; user errors
 * surface as {@link org.ltxfleet.common.job.JobFailedException}.
 */
final class DatasetJob {

    private final Downloader downloader;
    private final ArchiveLimits limits;
    private final PreprocessSettings settings;
    private final EventWriter events;

    DatasetJob(Downloader downloader, ArchiveLimits limits, PreprocessSettings settings, EventWriter events) {
        this.downloader = downloader;
        this.limits = limits;
        this.settings = settings;
        this.events = events;
    }

    /** The worker-wide parts every job uses. */
    record Parts(Downloader downloader, ArchiveLimits limits, PreprocessSettings settings) {
    }

    /** What the job produced: samples made, and the per-clip reports. */
    record Result(int samples, List<ClipReport> clips, Path debugDataset) {
    }

    Result run(JobMessage job, TrainingInput input, Path workDir) throws IOException, InterruptedException {
        if (!input.validation().isEmpty()) {
            // Cheap and likely to be wrong: check the keyframe images before the long decode.
            var keyframes = ValidationKeyframes.prepare(input, downloader,
                    Files.createDirectories(workDir.resolve("validation")));
            log(job, keyframes.size() + " validation entr" + (keyframes.size() == 1 ? "y" : "ies")
                    + " fitted to " + input.validationBucket().width() + "x" + input.validationBucket().height());
        }
        log(job, "downloading training_data_url");
        var archiveFile = downloader.download(input.trainingDataUrl(), workDir.resolve("dataset.zip"),
                "training_data_url");
        log(job, String.format("downloaded %.1f MB (sha256 %s)", archiveFile.bytes() / 1e6,
                archiveFile.sha256().substring(0, 12)));
        try (var archive = ArchiveInspector.open(archiveFile.path(), limits)) {
            log(job, archive.clips().size() + " clip(s) found" + (archive.ignored().isEmpty() ? ""
                    : "; ignored " + archive.ignored().size() + " other file(s)"));
            var debug = input.debugDataset()
                    ? new DebugDatasetWriter(workDir.resolve("debug_dataset"), input.frameRate(),
                            input.includeMiddleKeyframe())
                    : null;
            var samples = new AtomicInteger();
            var clipsDone = new AtomicInteger();
            int clipCount = archive.clips().size();
            List<ClipReport> reports = new DatasetPreparer(settings).prepare(archive, input,
                    Files.createDirectories(workDir.resolve("clips")),
                    sample -> {
                        samples.incrementAndGet();
                        if (debug != null) {
                            debug.accept(sample);
                        }
                    },
                    line -> {
                        log(job, line);
                        events.emit(job.requestId(), job.keyId(), EventType.PROGRESS, new Payloads.Progress(
                                Payloads.STAGE_PREPROCESS, clipsDone.incrementAndGet(), clipCount, null, null, null, null));
                    });
            Path debugZip = debug == null ? null : debug.finish(reports, workDir.resolve("debug_dataset.zip"));
            return new Result(samples.get(), reports, debugZip);
        }
    }

    private void log(JobMessage job, String message) {
        events.emit(job.requestId(), job.keyId(), EventType.LOG,
                new Payloads.Log("INFO", "preprocess: " + message, Payloads.STAGE_PREPROCESS));
    }
}
