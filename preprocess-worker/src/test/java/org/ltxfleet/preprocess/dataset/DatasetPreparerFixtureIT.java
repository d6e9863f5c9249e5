package org.ltxfleet.preprocess.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.job.InputValidator;
import org.ltxfleet.common.job.JobFailedException;
import org.ltxfleet.common.job.TrainingInput;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.model.safetensors.DType;
import org.ltxfleet.model.safetensors.SafetensorsWriter;
import org.ltxfleet.preprocess.archive.ArchiveInspector;
import org.ltxfleet.preprocess.archive.ArchiveLimits;
import org.ltxfleet.preprocess.Fixtures;

/** From a zip of the real fixture clips to samples and a debug dataset. */
class DatasetPreparerFixtureIT {

    private static final PreprocessSettings SETTINGS = new PreprocessSettings(27, 0.5, 8, 2, org.ltxfleet.preprocess.video.DecodeLimits.DEFAULT,
            new DatasetCaps(1000, 1L << 30));
    private static final ArchiveLimits LIMITS = new ArchiveLimits(100, 1L << 32, 200);

    @TempDir
    Path dir;

    private static TrainingInput input(String extra) {
        return new InputValidator().validate(Json.readTree(("{\"training_data_url\":\"https://e/x.zip\","
                + "\"resolution\":\"low\",\"aspect_ratio\":\"16:9\",\"number_of_frames\":25,\"frame_rate\":8,"
                + "\"split_input_duration_threshold\":5,\"trigger_phrase\":\"mystyle\"" + extra + "}").getBytes()));
    }

    private Path zip(Map<String, Path> files, Map<String, String> captions) throws IOException {
        Path zip = dir.resolve("dataset.zip");
        try (var out = new ZipArchiveOutputStream(zip)) {
            for (var e : files.entrySet()) {
                out.putArchiveEntry(new ZipArchiveEntry(e.getKey()));
                Files.copy(e.getValue(), out);
                out.closeArchiveEntry();
            }
            for (var e : captions.entrySet()) {
                out.putArchiveEntry(new ZipArchiveEntry(e.getKey()));
                out.write(e.getValue().getBytes());
                out.closeArchiveEntry();
            }
        }
        return zip;
    }

    private Path corrupt() throws IOException {
        Path file = dir.resolve("corrupt-source.mp4");
        Files.write(file, Arrays.copyOf(Files.readAllBytes(Fixtures.video("Megamind.avi")), 3000));
        return file;
    }

    private List<ClipReport> prepare(Path zip, TrainingInput input, List<Sample> out, DebugDatasetWriter debug)
            throws Exception {
        try (var archive = ArchiveInspector.open(zip, LIMITS)) {
            Path work = Files.createDirectories(dir.resolve("work"));
            return new DatasetPreparer(SETTINGS).prepare(archive, input, work, s -> {
                out.add(s);
                if (debug != null) {
                    debug.accept(s);
                }
            }, line -> { });
        }
    }

    @Test
    void cutsRealClipsIntoSamplesAndWritesTheDebugDataset() throws Exception {
        Path zip = zip(Map.of("street.avi", Fixtures.video("vtest.avi"),
                        "film/megamind.avi", Fixtures.video("Megamind.avi"),
                        "broken.mp4", corrupt()),
                Map.of("film/megamind.txt", " a man talks at dinner \n"));
        var samples = new CopyOnWriteArrayList<Sample>();
        var debug = new DebugDatasetWriter(dir.resolve("debug"), 8, false);
        List<ClipReport> reports = prepare(zip, input(""), samples, debug);

        ClipReport street = report(reports, "street");
        assertThat(street.scenes()).isEqualTo(1);
        assertThat(street.windows()).isEqualTo(8);  // 636 frames at 8 fps hold 25 windows; capped at 8
        ClipReport film = report(reports, "megamind");
        assertThat(film.scenes()).isEqualTo(4);     // cuts at 4.13, 6.46 and 8.38 s
        assertThat(film.windows()).isEqualTo(1);    // only the first scene holds 25 frames at 8 fps
        assertThat(film.dropped()).hasSize(3).allMatch(d -> d.reason().contains("shorter than number_of_frames"));
        assertThat(report(reports, "broken").error()).contains("broken.mp4");

        assertThat(samples).allSatisfy(s -> assertThat(s.window().frames()).hasSize(25));
        assertThat(samples).filteredOn(s -> s.clip().equals("megamind")).singleElement()
                .satisfies(s -> assertThat(s.caption()).isEqualTo("mystyle a man talks at dinner"));
        assertThat(samples).filteredOn(s -> s.clip().equals("street"))
                .allSatisfy(s -> assertThat(s.caption()).isEqualTo("mystyle"));

        Path debugZip = debug.finish(reports, dir.resolve("debug.zip"));
        try (var archive = new ZipFile(debugZip.toFile())) {
            JsonNode manifest = Json.readTree(archive.getInputStream(archive.getEntry("manifest.json")).readAllBytes());
            assertThat(manifest.get("samples")).hasSize(9);
            assertThat(manifest.get("dropped")).hasSize(4);
            assertThat(archive.getEntry("clips/megamind_s0_w0.mp4")).isNotNull();
            assertThat(archive.getEntry("keyframes/megamind_s0_w0_last.png")).isNotNull();
        }
        Path mp4 = dir.resolve("debug/clips/megamind_s0_w0.mp4");
        try (var grabber = new FFmpegFrameGrabber(mp4.toFile())) {
            grabber.start();
            assertThat(grabber.getVideoCodecName()).isEqualTo("h264");
            assertThat(grabber.getImageWidth()).isEqualTo(512);
            assertThat(grabber.getImageHeight()).isEqualTo(288);
            assertThat(grabber.getLengthInVideoFrames()).isEqualTo(25);
        }
        Path keep = Files.createDirectories(Path.of("target", "fixture-frames"));
        Files.copy(dir.resolve("debug/keyframes/megamind_s0_w0_last.png"), keep.resolve("megamind-sample-last.png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void captionFeaturesBesideAClipComeWithEachOfItsSamplesAndBrokenOnesAreRefusedByName() throws Exception {
        Path features = dir.resolve("features.safetensors");
        new SafetensorsWriter().add(ImportedCaption.EMBEDDINGS, DType.F16, new long[] {1, 3, 2},
                        new float[] {0, 0, 1, 2, 3, 4})
                .add(ImportedCaption.MASK, DType.I64, new long[] {1, 3}, new float[] {0, 1, 1}).write(features);
        Path zip = zip(Map.of("film/megamind.avi", Fixtures.video("Megamind.avi"), "film/megamind.safetensors", features),
                Map.of("film/megamind.txt", "a man talks at dinner"));
        var samples = new CopyOnWriteArrayList<Sample>();
        prepare(zip, input(""), samples, null);
        assertThat(samples).singleElement().satisfies(s -> {
            assertThat(s.caption()).isEqualTo("mystyle a man talks at dinner");
            assertThat(s.importedCaption().attended().data()).containsExactly(1, 2, 3, 4);
        });

        Path noEmbeddings = dir.resolve("other.safetensors");
        new SafetensorsWriter().add("prompt_embeds", DType.F32, new long[] {3, 2}, new float[6]).write(noEmbeddings);
        Files.delete(zip);
        Path broken = zip(Map.of("film/megamind.avi", Fixtures.video("Megamind.avi"), "film/megamind.safetensors",
                noEmbeddings), Map.of());
        var refused = catchThrowableOfType(JobFailedException.class, () -> prepare(broken, input(""), samples, null));
        assertThat(refused.errorType()).isEqualTo("invalid_caption_features");
        assertThat(refused.getMessage()).contains("film/megamind.safetensors").contains("video_prompt_embeds");
    }

    @Test
    void autoScaleTurnsEverySceneIntoOneSampleOfExactlyTheFrameCount() throws Exception {
        Path zip = zip(Map.of("megamind.avi", Fixtures.video("Megamind.avi"),
                "bugy.avi", Fixtures.video("Megamind_bugy.avi")), Map.of());
        var samples = new ArrayList<Sample>();
        List<ClipReport> reports = prepare(zip, input(",\"auto_scale_input\":true"), java.util.Collections.synchronizedList(samples), null);
        assertThat(report(reports, "megamind").windows()).isEqualTo(4);
        // The same footage with glitched frames (jumps at ~0.4 s and ~2.5-3.3 s that score like cuts);
        // how many of them cross the threshold depends on which source frames the 30 → 8 fps
        // conversion keeps. Whatever the scenes, each becomes exactly one sample.
        var bugy = report(reports, "bugy");
        assertThat(bugy.scenes()).isBetween(4, 5);
        assertThat(bugy.windows()).isEqualTo(bugy.scenes());
        assertThat(samples).allSatisfy(s -> assertThat(s.window().frames()).hasSize(25));
        assertThat(samples).anyMatch(s -> s.window().resampled());
    }

    @Test
    void failsWithNoUsableTrainingDataWhenNothingDecodes() throws Exception {
        Path text = Files.writeString(dir.resolve("not-a-video.txt"), "this is not a video");
        Path zip = zip(Map.of("broken.mp4", corrupt(), "takes/garbage.mp4", text), Map.of());
        var failure = catchThrowableOfType(JobFailedException.class,
                () -> prepare(zip, input(""), new ArrayList<>(), null));
        assertThat(failure.statusCode()).isEqualTo(422);
        assertThat(failure.getMessage()).contains("No usable training data").contains("broken.mp4")
                .contains("cannot decode takes/garbage.mp4")
                // the worker's scratch directory is nobody's business
                .doesNotContain(dir.toString()).doesNotContain("/work/");
    }

    @Test
    void anInterruptStopsDecodingAtTheNextFrame() throws Exception {
        Path zip = zip(Map.of("street.avi", Fixtures.video("vtest.avi")), Map.of());
        var samples = new CopyOnWriteArrayList<Sample>();
        Thread caller = Thread.currentThread();
        Path work = Files.createDirectories(dir.resolve("work"));
        try (var archive = ArchiveInspector.open(zip, LIMITS)) {
            // As a cancellation does: the job's thread is interrupted, here once the first sample is out.
            assertThatThrownBy(() -> new DatasetPreparer(SETTINGS).prepare(archive, input(""), work, sample -> {
                samples.add(sample);
                caller.interrupt();
            }, line -> { })).isInstanceOf(InterruptedException.class);
        }
        // The clip's thread deletes its scratch copy when it stops: wait for that, then count.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (var files = Files.list(work)) {
                return files.findAny().isEmpty();
            }
        });
        assertThat(samples).hasSizeLessThan(3);  // uninterrupted, this clip gives 8
    }

    @Test
    void dropsClipsShorterThanTheFrameCountWithoutAutoScale() throws Exception {
        Path zip = zip(Map.of("megamind.avi", Fixtures.video("Megamind.avi")), Map.of());
        var failure = catchThrowableOfType(JobFailedException.class, () -> prepare(zip,
                input(",\"number_of_frames\":121,\"split_input_into_scenes\":false,\"frame_rate\":8"),
                new ArrayList<>(), null));
        // 11.3 s at 8 fps is 90 frames, fewer than 121.
        assertThat(failure.getMessage()).contains("No usable training data").contains("shorter than number_of_frames");
    }

    private static ClipReport report(List<ClipReport> reports, String clip) {
        return reports.stream().filter(r -> r.clip().equals(clip)).findFirst().orElseThrow();
    }
}
