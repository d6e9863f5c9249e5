package org.ltxfleet.infra.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.infra.client.FleetClient;
import org.ltxfleet.infra.demo.DemoTraining;
import org.ltxfleet.infra.demo.SampleClipGenerator;
import org.ltxfleet.infra.eval.ContactSheet;
import org.ltxfleet.infra.eval.EvalRun;
import org.ltxfleet.infra.stack.FleetStack;
import org.ltxfleet.model.preset.Preset;

/**
 * One demo job: dataset, submission, progress, outputs, then an evaluation on a clip it did not
 * train on. Every clip is one window long, so a window holds a clip's whole motion, as the
 * held-out clip's keyframes ask the reel for.
 */
final class DemoRun {

    static final int CLIPS = 12;
    /** The clip of the same stream the job does not train on: the reel's keyframes and the evaluation's truth. */
    static final int HELD_OUT = CLIPS;
    static final int SIZE = 512;
    static final int FPS = 24;
    static final int FRAMES = DemoTraining.WINDOW_FRAMES;
    static final long SEED = 2026;
    static final String TRIGGER = "fleetdemo";
    static final String CONTACT_SHEET = "contact_sheet.png";

    private final FleetStack fleet;
    private final Path output;
    private final int steps;
    private final ProgressLine progress = new ProgressLine();
    private final boolean evaluate;
    private final Path work;

    /** {@code evaluate}: compare the LoRA with its base and a cross-fade on the held-out clip after the job. */
    DemoRun(FleetStack fleet, Path output, int steps, boolean evaluate) throws IOException {
        this.fleet = fleet;
        this.output = output;
        this.steps = steps;
        this.evaluate = evaluate;
        this.work = Files.createTempDirectory("fleet-demo");
    }

    /** Runs the job; true when it completed and its outputs were saved. */
    boolean run() throws Exception {
        long start = System.nanoTime();
        ObjectNode input = prepareInput();
        var client = new FleetClient(fleet.gatewayUrl(), fleet.apiKey(), GatewaySettings.ENDPOINT_ID);
        Console.step("submitting the job to " + fleet.gatewayUrl() + "/" + GatewaySettings.ENDPOINT_ID);
        var submitted = client.submit(Json.toString(input));
        if (submitted.status() != 200) {
            Console.step("the gateway refused the job: " + submitted.status() + " " + submitted.rawBody());
            return false;
        }
        String requestId = submitted.body().get("request_id").asText();
        System.out.println("    request_id " + requestId);
        client.stream(requestId, progress::show);
        progress.finish();

        var status = client.status(requestId, false).body();
        var result = client.result(requestId);
        if (result.status() != 200) {
            Console.step("the job ended without outputs: " + status.path("error").asText(result.rawBody()));
            return false;
        }
        Path lora = saveOutputs(client, result.body());
        var summary = Json.object().put("request_id", requestId).put("status", status.path("status").asText())
                .put("steps", steps);
        if (evaluate) {
            evaluate(lora).forEach((key, value) -> summary.set(key, Json.toTree(value)));
        }
        summary.put("seconds", Math.round((System.nanoTime() - start) / 1e8) / 10.0);
        System.out.println("RESULT " + Json.toString(summary));
        return true;
    }

    /**
     * The LoRA and its base on the held-out clip, as {@code ./fleet eval} compares them: PSNR of the
     * in-between frames against the real ones, beside a cross-fade; the contact sheet beside the reel.
     */
    private Map<String, Object> evaluate(Path lora) throws Exception {
        Console.step("evaluating on held-out clip " + HELD_OUT + " (" + SampleClipGenerator.captionFor(SEED, HELD_OUT)
                + ")");
        Path clip = SampleClipGenerator.writeClipZip(work.resolve("held-out.zip"), HELD_OUT, SIZE, SIZE, FPS, FRAMES,
                SEED);
        var window = new LinkedHashMap<String, Object>();
        window.put("number_of_frames", FRAMES);
        window.put("resolution", "low");
        window.put("aspect_ratio", "1:1");
        window.put("frame_rate", FPS);
        window.put("trigger_phrase", TRIGGER);
        Preset preset = Preset.forTraining(fleet.config());
        var outcome = new EvalRun(preset, 1).run(lora, clip, window, line -> { });
        Path sheet = ContactSheet.write(List.of(outcome.truth(), outcome.lora(), outcome.base()), ContactSheet.COLUMNS,
                ContactSheet.CELL, output.resolve(CONTACT_SHEET));
        var figures = outcome.figures();
        System.out.printf("  in-between frames: base + LoRA %s dB, base %s dB, cross-fade %s dB%n",
                figures.get("lora_db"), figures.get("base_db"), figures.get("crossfade_db"));
        System.out.printf("  %-14s %s (rows: real, base + LoRA, base)%n", "contact sheet", sheet);
        var picked = new LinkedHashMap<String, Object>();
        for (String key : List.of("lora_db", "crossfade_db", "base_db")) {
            picked.put(key, figures.get(key));
        }
        return picked;
    }

    private ObjectNode prepareInput() throws Exception {
        Console.step("generating " + CLIPS + " sample clips (" + SIZE + "x" + SIZE + ", " + FRAMES + " frames at "
                + FPS + " fps)");
        SampleClipGenerator.quietFfmpegLogs();
        Path zip = SampleClipGenerator.writeDatasetZip(work.resolve("sample-clips.zip"), CLIPS, SIZE, SIZE, FPS,
                FRAMES, SEED);
        // Validation keyframes come from a clip the job does not train on.
        Path start = SampleClipGenerator.writeFramePng(work.resolve("start.png"), SIZE, SIZE, FRAMES, SEED, HELD_OUT, 0);
        Path end = SampleClipGenerator.writeFramePng(work.resolve("end.png"), SIZE, SIZE, FRAMES, SEED, HELD_OUT,
                FRAMES - 1);

        Console.step("uploading the dataset to the embedded S3 store");
        ObjectNode input = Json.object();
        input.put("training_data_url", fleet.publish("demo/sample-clips.zip", zip));
        var sample = input.putArray("validation").addObject();
        sample.put("prompt", SampleClipGenerator.captionFor(SEED, HELD_OUT));
        sample.put("start_image_url", fleet.publish("demo/start.png", start));
        sample.put("end_image_url", fleet.publish("demo/end.png", end));
        input.put("trigger_phrase", TRIGGER);
        DemoTraining.apply(input, steps);
        input.put("frame_rate", FPS);
        input.put("validation_resolution", "low");
        input.put("validation_number_of_frames", FRAMES);
        input.put("debug_dataset", true);
        return input;
    }

    /** Downloads every output; returns the LoRA's file. */
    private Path saveOutputs(FleetClient client, JsonNode result) throws Exception {
        Console.step("job COMPLETED; saving the outputs to " + output.toAbsolutePath());
        Path lora = null;
        for (String field : new String[] {"lora_file", "config_file", "video", "debug_dataset"}) {
            JsonNode file = result.path(field);
            if (file.isMissingNode() || file.isNull()) {
                System.out.printf("  %-14s (none)%n", field);
                continue;
            }
            Path target = output.resolve(file.path("file_name").asText(field));
            client.download(file.path("url").asText(), target);
            if (field.equals("lora_file")) {
                lora = target;
            }
            System.out.printf("  %-14s %s%n  %-14s -> %s (%d bytes)%n", field, file.path("url").asText(), "",
                    target, Files.size(target));
        }
        if (lora == null) {
            throw new IllegalStateException("the job completed without a LoRA file");
        }
        return lora;
    }
}
