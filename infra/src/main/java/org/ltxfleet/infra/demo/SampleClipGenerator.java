package org.ltxfleet.infra.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * Generates small synthetic training clips: a coloured shape moving over a static gradient
 * background, one H.264 MP4 per clip plus a same-named {@code .txt} caption. Output is fully
 * determined by the seed.
 */
public final class SampleClipGenerator {

    /** Extension of the generated video files. */
    public static final String VIDEO_EXTENSION = ".mp4";
    /** Extension of the caption written beside each video. */
    public static final String CAPTION_EXTENSION = ".txt";

    // Fixed entry time so zips from the same seed are byte-identical too; 2020-01-01 stays inside
    // the DOS date range in every time zone, so no extended-timestamp field is added.
    private static final long ZIP_ENTRY_TIME = 1_577_836_800_000L;

    private SampleClipGenerator() {
    }

    /** Writes {@code count} clips and captions into {@code dir}; returns the video paths in clip order. */
    public static List<Path> writeClips(Path dir, int count, int width, int height, int fps, int frames, long seed)
            throws IOException {
        validate(count, width, height, fps, frames);
        H264ClipEncoder.requireEncoder();
        Files.createDirectories(dir);
        int threads = Math.max(1, Math.min(count, Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Path>> jobs = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int index = i;
                jobs.add(pool.submit(() -> writeClip(dir, index, width, height, fps, frames, seed)));
            }
            List<Path> videos = new ArrayList<>(count);
            for (Future<Path> job : jobs) {
                videos.add(await(job));
            }
            return videos;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Generates clips as {@link #writeClips} does and packs videos and captions flat into {@code zipFile}. */
    public static Path writeDatasetZip(Path zipFile, int count, int width, int height, int fps, int frames, long seed)
            throws IOException {
        Path staging = Files.createTempDirectory("sample-clips-");
        try {
            List<Path> videos = writeClips(staging, count, width, height, fps, frames, seed);
            List<Path> files = new ArrayList<>();
            for (Path video : videos) {
                files.add(video);
                files.add(captionPathFor(video));
            }
            return zipFlat(zipFile, files);
        } finally {
            deleteRecursively(staging);
        }
    }

    /**
     * Writes clip {@code index} alone (video and caption) into {@code zipFile}: a clip of the same
     * stream that a dataset of fewer clips does not hold, to evaluate on.
     */
    public static Path writeClipZip(Path zipFile, int index, int width, int height, int fps, int frames, long seed)
            throws IOException {
        validate(1, width, height, fps, frames);
        H264ClipEncoder.requireEncoder();
        Path staging = Files.createTempDirectory("sample-clip-");
        try {
            Path video = writeClip(staging, index, width, height, fps, frames, seed);
            return zipFlat(zipFile, List.of(video, captionPathFor(video)));
        } finally {
            deleteRecursively(staging);
        }
    }

    /** Zips {@code files} into {@code zipFile} by bare file name, in the given order. */
    public static Path zipFlat(Path zipFile, List<Path> files) throws IOException {
        Path parent = zipFile.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(zipFile);
             ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Path file : files) {
                ZipEntry entry = new ZipEntry(file.getFileName().toString());
                entry.setTime(ZIP_ENTRY_TIME);
                zip.putNextEntry(entry);
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
        return zipFile;
    }

    /**
     * Writes one frame of clip {@code index} as a PNG, exactly as the clip's video would show it
     * before encoding: the demo's validation keyframes come from clips it did not train on.
     */
    public static Path writeFramePng(Path png, int width, int height, int frames, long seed, int index, int frame)
            throws IOException {
        var renderer = new FrameRenderer(ClipScript.forClip(seed, index), width, height, frames);
        javax.imageio.ImageIO.write(renderer.render(frame), "png", png.toFile());
        return png;
    }

    /**
     * Lowers FFmpeg's native log level to errors only. Process-wide: without it every clip prints a
     * stream dump plus two harmless OpenH264 warnings to stderr, which buries a CLI's own output.
     */
    public static void quietFfmpegLogs() {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    /** The caption file that belongs to {@code video}: same directory and base name, {@code .txt}. */
    public static Path captionPathFor(Path video) {
        String name = video.getFileName().toString();
        String base = name.endsWith(VIDEO_EXTENSION) ? name.substring(0, name.length() - VIDEO_EXTENSION.length()) : name;
        return video.resolveSibling(base + CAPTION_EXTENSION);
    }

    /** The caption text clip {@code index} gets for {@code seed}, without rendering anything. */
    public static String captionFor(long seed, int index) {
        return ClipScript.forClip(seed, index).caption();
    }

    /** File name (without extension) of clip {@code index}; zero-padded so names sort in clip order. */
    static String baseName(int index) {
        return String.format("clip_%03d", index);
    }

    private static Path writeClip(Path dir, int index, int width, int height, int fps, int frames, long seed)
            throws IOException {
        ClipScript script = ClipScript.forClip(seed, index);
        FrameRenderer renderer = new FrameRenderer(script, width, height, frames);
        Path video = dir.resolve(baseName(index) + VIDEO_EXTENSION);
        H264ClipEncoder.encode(video, width, height, fps, frames, renderer::render);
        Files.writeString(captionPathFor(video), script.caption() + "\n", StandardCharsets.UTF_8);
        return video;
    }

    private static void validate(int count, int width, int height, int fps, int frames) {
        if (count < 0 || fps <= 0 || frames <= 0) {
            throw new IllegalArgumentException("count must be >= 0, fps and frames > 0");
        }
        // yuv420p subsamples chroma 2x2; FFmpegFrameRecorder would otherwise silently round an odd
        // width up and rescale the height, so the file would not have the size asked for.
        if (width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("width and height must be even and >= 16, got " + width + "x" + height);
        }
    }

    private static Path await(Future<Path> job) throws IOException {
        try {
            return job.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while generating clips", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("Clip generation failed", e.getCause());
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
