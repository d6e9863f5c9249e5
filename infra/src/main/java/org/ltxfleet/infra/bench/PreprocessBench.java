package org.ltxfleet.infra.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ltxfleet.common.job.Bucket;
import org.ltxfleet.preprocess.video.ClipDecoder;

/**
 * Decode + fit throughput of the preprocess worker beside the {@code ffmpeg} command line doing
 * the same work (decode, fps conversion, Lanczos scale to fill, center crop, raw RGB frames) on the
 * same clip, alternating runs so both see the same machine; reports medians and their ratio.
 */
public final class PreprocessBench {

    private final Path clip;
    private final int fps;
    private final Bucket bucket;
    private final int runs;

    /** A benchmark of {@code clip} converted to {@code fps} and {@code bucket}, {@code runs} runs each. */
    public PreprocessBench(Path clip, int fps, Bucket bucket, int runs) {
        this.clip = clip;
        this.fps = fps;
        this.bucket = bucket;
        this.runs = runs;
    }

    /** Runs both, A B A B …; {@code ffmpeg} null skips the reference. */
    public Map<String, Object> run(String ffmpeg) throws Exception {
        var ours = new ArrayList<Double>();
        var reference = new ArrayList<Double>();
        int frames = decodeOnce(); // warm-up: loads FFmpeg's libraries
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            decodeOnce();
            ours.add((System.nanoTime() - start) / 1e9);
            if (ffmpeg != null) {
                reference.add(ffmpegOnce(ffmpeg));
            }
        }
        var result = new LinkedHashMap<String, Object>();
        result.put("clip", clip.getFileName().toString());
        result.put("frames", frames);
        result.put("bucket", bucket.width() + "x" + bucket.height());
        result.put("fps", fps);
        double oursFps = frames / median(ours);
        result.put("decode_fit_frames_per_s", round(oursFps));
        if (ffmpeg != null) {
            double referenceFps = frames / median(reference);
            result.put("ffmpeg_cli_frames_per_s", round(referenceFps));
            result.put("ratio_to_ffmpeg_cli", round(oursFps / referenceFps));
        } else {
            result.put("ffmpeg_cli_frames_per_s", null);
            result.put("ratio_to_ffmpeg_cli", null);
        }
        return result;
    }

    private int decodeOnce() throws Exception {
        long[] checksum = {0};
        int frames = ClipDecoder.decode(clip, fps, bucket, f -> checksum[0] += f.rgb()[f.rgb().length / 2]);
        if (frames == 0) {
            throw new IOException("no frames decoded from " + clip);
        }
        return frames;
    }

    private double ffmpegOnce(String ffmpeg) throws IOException, InterruptedException {
        // The very filter graph the worker runs (same scaler threads), so only the plumbing differs.
        List<String> command = List.of(ffmpeg, "-v", "error", "-nostdin", "-i", clip.toString(), "-an", "-vf",
                ClipDecoder.graph(fps, bucket), "-f", "rawvideo", "-y", "/dev/null");
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException("ffmpeg failed: " + String.join(" ", command));
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** The {@code ffmpeg} on the PATH, or null. */
    public static String findFfmpeg() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "ffmpeg");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private static double median(List<Double> values) {
        var sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
