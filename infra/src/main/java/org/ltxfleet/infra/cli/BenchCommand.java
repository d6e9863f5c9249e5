package org.ltxfleet.infra.cli;

import java.nio.file.Files;
import java.util.concurrent.Callable;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.infra.bench.GatewayBench;
import org.ltxfleet.infra.stack.StackOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./fleet bench <what>}: benchmarks that print ratios against a reference run in the same process. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark; the last line is RESULT {json}. Targets: gateway, preprocess, model, train, scale, memory, block, projection.")
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "what to benchmark: gateway, preprocess, model, train, scale, memory, block, projection")
    String target;

    @Option(names = "--rate", description = "gateway benchmark: submits per second of the paced phases (default: a "
            + "quarter of the slowest path's saturated throughput, measured first)")
    int rate = 0;

    @Option(names = "--seconds", description = "gateway benchmark: length of each measured phase (default: ${DEFAULT-VALUE})")
    int seconds = 8;

    @Override
    public Integer call() throws Exception {
        return switch (target) {
            case "gateway" -> gateway();
            case "preprocess" -> preprocess();
            case "model" -> model();
            case "train" -> train();
            case "scale" -> scale();
            case "memory" -> memory();
            case "block" -> block();
            case "projection" -> projection();
            default -> throw new IllegalArgumentException("unknown benchmark '" + target
                    + "'; available: gateway, preprocess, model, train, scale, memory, block, projection");
        };
    }

    @Option(names = "--clip", description = "clip for the preprocess benchmark (default: testdata/fixtures/video/vtest.avi, "
            + "else a generated one)")
    java.nio.file.Path clip;

    private Integer preprocess() throws Exception {
        java.nio.file.Path source = clip != null ? clip : java.nio.file.Path.of("testdata", "fixtures", "video", "vtest.avi");
        if (!Files.isRegularFile(source)) {
            Console.step("no " + source + "; generating a clip instead");
            source = org.ltxfleet.infra.demo.SampleClipGenerator.writeClips(Files.createTempDirectory("fleet-bench"),
                    1, 768, 576, 24, 480, 1).get(0);
        }
        String ffmpeg = org.ltxfleet.infra.bench.PreprocessBench.findFfmpeg();
        if (ffmpeg == null) {
            Console.step("no ffmpeg on the PATH: the reference run is skipped (install Debian's: apt-get install ffmpeg)");
        }
        var bucket = org.ltxfleet.common.job.Bucket.of(org.ltxfleet.common.job.Resolution.MEDIUM,
                org.ltxfleet.common.job.AspectRatio.SQUARE);
        Console.step("decode + fps + scale + crop of " + source + " to " + bucket.width() + "x" + bucket.height()
                + " at 24 fps, ours beside the ffmpeg command line, 3 runs each, alternating");
        var result = new org.ltxfleet.infra.bench.PreprocessBench(source, 24, bucket, 3).run(ffmpeg);
        Console.step("dataset cache: the same archive submitted twice to a stack running only the preprocess worker");
        var dataDir = Files.createTempDirectory("fleet-bench");
        try (var fleet = Console.startStack(StackOptions.forTests(dataDir).withWorkers(false))) {
            java.nio.file.Path zip = org.ltxfleet.infra.demo.SampleClipGenerator.zipFlat(dataDir.resolve("clip.zip"),
                    java.util.List.of(source));
            result.putAll(new org.ltxfleet.infra.bench.CacheBench(fleet, zip).run());
        }
        print(result);
        return 0;
    }

    private Integer model() {
        Console.step("tiny preset: LoRA rank 16 training steps on one 89-frame 512x512 window (low, 1:1) with first "
                + "and last keyframes, then DJL's 1024² matmul in the same process as the peak");
        var result = new org.ltxfleet.model.bench.ModelBench(org.ltxfleet.model.transformer.TransformerConfig.tiny(),
                89, 512, 512, 16, 5).run(Console::step);
        print(result);
        return 0;
    }

    private Integer train() {
        Console.step("tiny preset: LoRA rank 16 training (the demo's) on the smallest window (9 frames at 512x288) and "
                + "on 512x512 windows of 25, 49 and 89 frames, with first and last keyframes, 5 timed steps each");
        var config = org.ltxfleet.model.transformer.TransformerConfig.tiny();
        var result = new java.util.LinkedHashMap<String, Object>();
        result.put("preset", config.name());
        result.put("device", "cpu, " + Runtime.getRuntime().availableProcessors() + " cores");
        var smallest = new org.ltxfleet.model.bench.ModelBench(config, 9, 512, 288, 16, 5).run(line -> { });
        result.put("s_per_step_9f_512x288", smallest.get("step_s"));
        Console.step("9 frames at 512x288: " + smallest.get("step_s") + " s/step");
        for (int frames : new int[] {25, 49, 89}) {
            var run = new org.ltxfleet.model.bench.ModelBench(config, frames, 512, 512, 16, 5).run(line -> { });
            result.put("s_per_step_" + frames + "f", run.get("step_s"));
            result.put("video_frames_per_s_" + frames + "f", run.get("video_frames_per_s"));
            Console.step(frames + " frames: " + run.get("step_s") + " s/step, " + run.get("video_frames_per_s")
                    + " video frames/s");
        }
        print(result);
        return 0;
    }

    private Integer memory() throws Exception {
        Console.step("ltx-2.3 at width 4096, 32 heads, 2 blocks, rank 32, 1024 text tokens, synthetic 16-bit weights, "
                + "checkpointing and recomputed attention: a warm-up step, then one step each at 512, 1024 and 2048 "
                + "tokens in a child JVM, its peak resident memory against docs/GPU.md's plan (about 6 minutes on 2 cores)");
        print(new org.ltxfleet.model.bench.MemoryBench(org.ltxfleet.model.bench.StepRecipe.ltx23Default()).run(Console::step));
        return 0;
    }

    @Option(names = "--soak-jobs", description = "projection benchmark: jobs folded (default: ${DEFAULT-VALUE})")
    int soakJobs = 100_000;

    private Integer projection() {
        Console.step(soakJobs + " finished jobs (submission, start, logs, progress, completion, webhook attempt; logs "
                + "past their retention) through the gateway's job projection; used heap after a full collection at "
                + "each quarter");
        print(new org.ltxfleet.gateway.projection.ProjectionSoak(soakJobs).run(Console::step));
        return 0;
    }

    private Integer block() {
        Console.step("one ltx-2.3 block at width 4096 (32 heads, rank 32, 1024 text tokens, 16-bit synthetic weights) over "
                + "2048 tokens, as a checkpointed step runs it: forward without a graph, again with one, backward with "
                + "recomputed attention; executed FLOPs counted, against DJL's 4096² matmul in the same process");
        print(new org.ltxfleet.model.bench.BlockSpeed(2048, 3).run(Console::step));
        return 0;
    }

    @Option(names = "--jobs", description = "jobs per round of the scale benchmark (default: ${DEFAULT-VALUE})")
    int jobs = 24;

    @Option(names = "--workers", description = "most preprocess worker processes of the scale benchmark (default: the "
            + "cores)")
    Integer workers;

    @Option(names = "--passes", description = "scale benchmark: passes over 1…N workers; figures are medians "
            + "(default: ${DEFAULT-VALUE})")
    int passes = 1;

    private Integer scale() throws Exception {
        var dataDir = Files.createTempDirectory("fleet-bench");
        int most = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        Console.step("starting a fresh stack without workers in " + dataDir);
        try (var fleet = Console.startStack(StackOptions.forTests(dataDir).withWorkers(false))) {
            Console.step(jobs + " distinct archives per round through 1 to " + most + " preprocess worker processes of "
                    + "one processor each (-XX:ActiveProcessorCount=1); a round ends at its last ready message");
            print(new org.ltxfleet.infra.bench.ScaleBench(fleet, dataDir, jobs, most, passes, Console::step).run());
        }
        return 0;
    }

    @Option(names = "--jfr", description = "gateway benchmark: write a flight recording of each measured phase into "
            + "this directory (read it with the JDK's `jfr view hot-methods FILE`)")
    java.nio.file.Path jfr;

    private Integer gateway() throws Exception {
        var dataDir = Files.createTempDirectory("fleet-bench");
        Files.writeString(dataDir.resolve("fleet.properties"), GatewayBench.STACK_SETTINGS);
        Console.step("starting a fresh stack without workers in " + dataDir);
        try (var fleet = Console.startStack(StackOptions.forTests(dataDir).withWorkers(false))) {
            Console.step("the same jobs through the gateway, through a bare HTTP-to-Kafka bridge and with a raw "
                    + "Kafka producer (all acks=all, idempotent): warming up until the JIT settles, then as many as "
                    + "each takes, then " + (rate > 0 ? rate + " submits/s" : "a quarter of the slowest one's rate")
                    + ", " + seconds + " s a phase, 3 rounds in turn (about 4 minutes); goals: saturated_over_bridge "
                    + ">= 0.8, p99_over_bridge <= 1.5, p99_over_raw <= 2");
            var result = new GatewayBench(fleet, GatewayBench.Shape.of(rate, seconds), jfr).run();
            print(result);
        }
        return 0;
    }

    /** One line per figure, then the machine-readable last line every benchmark ends with. */
    private static void print(java.util.Map<String, Object> result) {
        result.forEach((k, v) -> System.out.printf("  %-28s %s%n", k, v));
        System.out.println("RESULT " + Json.toString(result));
    }
}
