package org.ltxfleet.preprocess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.job.TrainingInput;
import org.ltxfleet.common.kafka.EventWriter;
import org.ltxfleet.common.kafka.JobMessage;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.s3.ObjectStore;
import org.ltxfleet.model.latent.LatentBundle;
import org.ltxfleet.model.preset.Encoders;
import org.ltxfleet.model.training.ExampleEncoder;
import org.ltxfleet.preprocess.dataset.BundleWriter;
import org.ltxfleet.preprocess.dataset.CacheKey;
import org.ltxfleet.preprocess.dataset.SampleEncoder;
import org.ltxfleet.preprocess.dataset.ValidationEncoding;
import org.ltxfleet.preprocess.archive.ArchiveInspector;
import org.ltxfleet.preprocess.archive.ArchiveLimits;
import org.ltxfleet.preprocess.dataset.ClipReport;
import org.ltxfleet.preprocess.dataset.DatasetPreparer;
import org.ltxfleet.preprocess.dataset.DebugDatasetWriter;
import org.ltxfleet.preprocess.dataset.PreprocessSettings;
import org.ltxfleet.preprocess.dataset.ValidationKeyframes;
import org.ltxfleet.preprocess.download.Downloader;
import org.ltxfleet.preprocess.download.Fetcher;
import org.ltxfleet.preprocess.download.OwnUploads;
import org.ltxfleet.common.s3.JobObjects;

/**
 * One job's preprocessing, reported as it goes: download, cache lookup, archive checks, decoding,
 * scene split and windows, encoding to latents, the bundle upload, the validation keyframes and
 * the debug dataset when asked. User errors surface as {@link org.ltxfleet.common.job.JobFailedException}.
 */
final class DatasetJob {

    private final Parts parts;
    private final EventWriter events;

    DatasetJob(Parts parts, EventWriter events) {
        this.parts = parts;
        this.events = events;
    }

    /** The worker-wide parts every job uses. */
    record Parts(Downloader downloader, ArchiveLimits limits, PreprocessSettings settings, ObjectStore store,
                 Encoders encoders, org.ltxfleet.common.io.ScratchSpace scratch) {
    }

    /** Where the job's training data now is, and what it holds. */
    record Result(String bundleKey, Map<String, Object> stats, String validationKey, String debugDatasetKey) {
    }

    Result run(JobMessage job, TrainingInput input, Path workDir) throws IOException, InterruptedException {
        // The owner's own uploads come straight from the store; every other URL through the guarded download.
        Fetcher fetcher = OwnUploads.forOwner(job.keyId(), parts.store(), parts.downloader());
        String validationKey = null;
        if (!input.validation().isEmpty()) {
            // Cheap and likely to be wrong: check the keyframe images before the long decode.
            var keyframes = ValidationKeyframes.prepare(input, fetcher,
                    parts.settings().decodeLimits(), Files.createDirectories(workDir.resolve("validation")));
            validationKey = JobObjects.validationKey(job.requestId());
            Path file = workDir.resolve("validation.safetensors");
            ValidationEncoding.encode(keyframes, input, parts.encoders()).write(file);
            parts.store().put(validationKey, file);
            log(job, keyframes.size() + " validation entr" + (keyframes.size() == 1 ? "y" : "ies")
                    + " fitted to " + input.validationBucket().width() + "x" + input.validationBucket().height()
                    + " and encoded");
        }
        log(job, "downloading training_data_url");
        var archiveFile = fetcher.download(input.trainingDataUrl(), workDir.resolve("dataset.zip"),
                "training_data_url");
        log(job, String.format("downloaded %.1f MB (sha256 %s)", archiveFile.bytes() / 1e6,
                archiveFile.sha256().substring(0, 12)));
        String cacheKey = CacheKey.of(archiveFile.sha256(), input, parts.settings(), parts.encoders().id());
        String bundleKey = "datasets/" + cacheKey + "/";
        String debugKey = input.debugDataset() ? bundleKey + "debug_dataset.zip" : null;
        if (parts.store().exists(bundleKey + LatentBundle.MANIFEST)
                && (debugKey == null || parts.store().exists(debugKey))) {
            var manifest = Json.mapper().readTree(parts.store().bytes(bundleKey + LatentBundle.MANIFEST));
            @SuppressWarnings("unchecked")
            Map<String, Object> stats = Json.mapper().convertValue(manifest.get("stats"), Map.class);
            stats.put("cache_hit", true);
            log(job, "cache hit: this archive was already prepared with these settings (" + stats.get("samples")
                    + " samples); nothing decoded");
            return new Result(bundleKey, stats, validationKey, debugKey);
        }
        try (var archive = ArchiveInspector.open(archiveFile.path(), parts.limits())) {
            log(job, archive.clips().size() + " clip(s) found" + (archive.ignored().isEmpty() ? ""
                    : "; ignored " + archive.ignored().size() + " other file(s)"));
            var debug = input.debugDataset()
                    ? new DebugDatasetWriter(workDir.resolve("debug_dataset"), input.frameRate(),
                            input.includeMiddleKeyframe())
                    : null;
            var encoder = new SampleEncoder(new ExampleEncoder(parts.encoders().vae(), parts.encoders().text()),
                    input.includeMiddleKeyframe(), input.frameRate(), parts.settings().caps());
            var clipsDone = new AtomicInteger();
            int clipCount = archive.clips().size();
            List<ClipReport> reports = new DatasetPreparer(parts.settings()).prepare(archive, input,
                    Files.createDirectories(workDir.resolve("clips")),
                    sample -> {
                        if (debug != null) {
                            debug.accept(sample);
                        }
                        encoder.accept(sample);
                    },
                    line -> {
                        log(job, line);
                        events.emit(job.requestId(), job.keyId(), EventType.PROGRESS, new Payloads.Progress(
                                Payloads.STAGE_PREPROCESS, clipsDone.incrementAndGet(), clipCount, null, null, null, null));
                    });
            if (debug != null) {
                parts.store().put(debugKey, debug.finish(reports, workDir.resolve("debug_dataset.zip")));
            }
            var stats = new BundleWriter(parts.store(), parts.encoders()).write(bundleKey, cacheKey, input,
                    encoder.samples(), reports, workDir);
            log(job, "encoded " + stats.get("samples") + " sample(s) to latents and stored them at " + bundleKey);
            return new Result(bundleKey, stats, validationKey, debugKey);
        }
    }

    private void log(JobMessage job, String message) {
        events.emit(job.requestId(), job.keyId(), EventType.LOG,
                new Payloads.Log("INFO", "preprocess: " + message, Payloads.STAGE_PREPROCESS));
    }
}
