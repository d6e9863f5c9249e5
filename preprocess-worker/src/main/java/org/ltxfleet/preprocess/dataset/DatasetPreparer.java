package org.ltxfleet.preprocess.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.ltxfleet.common.job.JobFailedException;
import org.ltxfleet.common.job.TrainingInput;
import org.ltxfleet.model.latent.TextFeatures;
import org.ltxfleet.preprocess.archive.ArchiveInspector;
import org.ltxfleet.preprocess.archive.ClipEntry;
import org.ltxfleet.preprocess.video.ClipDecoder;
import org.ltxfleet.preprocess.video.SceneCutDetector;
import org.ltxfleet.preprocess.video.UndecodableClipException;
import org.ltxfleet.preprocess.video.WindowPlanner;

/**
 * From a checked archive to training samples: each clip is extracted, decoded at the job's rate
 * and bucket, split at scene cuts when it is longer than the threshold, and cut into windows with
 * their captions, several clips at once (bounded). Samples stream to the sink as they are made
 * (it must be thread-safe); an undecodable clip is skipped and reported; a job left without any
 * sample fails with "no usable training data" (422, billed 0). An interrupt (a cancellation or a
 * shutdown) stops extraction and every clip's decoding within a frame.
 */
public final class DatasetPreparer {

    private final PreprocessSettings settings;

    /** A preparer with these settings. */
    public DatasetPreparer(PreprocessSettings settings) {
        this.settings = settings;
    }

    /** Prepares every clip; returns one report per clip, in archive order. */
    public List<ClipReport> prepare(ArchiveInspector archive, TrainingInput input, Path workDir,
                                    Consumer<Sample> sink, Consumer<String> log) throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(settings.parallelism(),
                Thread.ofPlatform().name("preprocess-clip-", 0).factory());
        try {
            var futures = new ArrayList<Future<ClipReport>>();
            for (ClipEntry clip : archive.clips()) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("preprocessing interrupted while extracting clips");
                }
                Path file = archive.extract(clip.videoEntry(), workDir.resolve(clip.name() + extension(clip)));
                String caption = Captions.of(input.triggerPhrase(),
                        clip.captionEntry() == null ? null : archive.readCaption(clip.captionEntry()));
                TextFeatures imported = importedCaption(archive, clip, workDir);
                futures.add(pool.submit(() -> prepareClip(clip, file, caption, imported, input, sink, log)));
            }
            var reports = new ArrayList<ClipReport>();
            for (Future<ClipReport> future : futures) {
                reports.add(future.get());
            }
            if (reports.stream().mapToInt(ClipReport::windows).sum() == 0) {
                throw JobFailedException.unprocessable("no_usable_data", "No usable training data: " + summary(reports));
            }
            return reports;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException("preprocessing failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The clip's caption features from the archive, or null when it brings none. */
    private static TextFeatures importedCaption(ArchiveInspector archive, ClipEntry clip, Path workDir)
            throws IOException {
        if (clip.featuresEntry() == null) {
            return null;
        }
        if (archive.size(clip.featuresEntry()) > ImportedCaption.MAX_BYTES) {
            throw ImportedCaption.refused(clip.featuresEntry(), "is over " + (ImportedCaption.MAX_BYTES >> 20) + " MiB");
        }
        Path file = archive.extract(clip.featuresEntry(), workDir.resolve(clip.name() + ".caption.safetensors"));
        try {
            return ImportedCaption.read(file, clip.featuresEntry());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private ClipReport prepareClip(ClipEntry clip, Path file, String caption, TextFeatures importedCaption,
                                   TrainingInput input, Consumer<Sample> sink, Consumer<String> log) throws IOException {
        try {
            var limits = settings.decodeLimits();
            var probe = ClipDecoder.probe(file, limits);
            boolean split = input.splitInputIntoScenes() && probe.seconds() > input.splitInputDurationThreshold();
            var detector = new SceneCutDetector(settings.sceneThreshold(),
                    (int) Math.round(settings.minSceneSeconds() * input.frameRate()));
            int[] windows = {0};
            var planner = new WindowPlanner(input.numberOfFrames(), input.autoScaleInput(),
                    settings.maxWindowsPerClip(),
                    window -> sink.accept(new Sample(clip.name(), clip.videoEntry(), windows[0]++, window, caption,
                            importedCaption)));
            ClipDecoder.decode(file, input.frameRate(), input.bucket(), limits, frame -> {
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("decoding of " + clip.videoEntry() + " interrupted");
                }
                planner.accept(frame, split && detector.accept(frame));
                return !planner.full(); // the rest of the clip could give no sample
            });
            planner.finish();
            if (probe.seconds() > limits.maxSeconds()) {
                log.accept(clip.videoEntry() + ": only its first " + Math.round(limits.maxSeconds())
                        + " s were read (preprocess.max.clip.seconds)");
            }
            int scenes = split ? detector.cuts().size() + 1 : 1;
            log.accept(clip.videoEntry() + ": " + windows[0] + " sample(s) from " + scenes + " scene(s)"
                    + (planner.dropped().isEmpty() ? "" : "; dropped: " + planner.dropped().stream()
                    .map(d -> String.format("scene %d (%.1f-%.1f s) %s", d.scene(), d.startSeconds(), d.endSeconds(),
                            d.reason())).toList()));
            return new ClipReport(clip.name(), clip.videoEntry(), probe.seconds(), scenes, windows[0],
                    planner.dropped(), null);
        } catch (UndecodableClipException e) {
            // The user knows the clip by its archive entry; the scratch path is ours alone.
            String error = e.describe(clip.videoEntry());
            log.accept(clip.videoEntry() + ": skipped, " + error);
            return new ClipReport(clip.name(), clip.videoEntry(), 0, 0, 0, List.of(), error);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String summary(List<ClipReport> reports) {
        var reasons = new ArrayList<String>();
        for (ClipReport r : reports) {
            reasons.add(r.sourceFile() + " " + (r.error() != null ? r.error()
                    : r.dropped().isEmpty() ? "gave no sample" : r.dropped().get(0).reason()));
        }
        return reports.isEmpty() ? "the archive has no video clips" : String.join("; ", reasons);
    }

    private static String extension(ClipEntry clip) {
        String name = clip.videoEntry();
        return name.substring(name.lastIndexOf('.'));
    }
}
