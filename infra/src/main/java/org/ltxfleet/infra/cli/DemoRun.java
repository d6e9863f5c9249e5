package org.ltxfleet.infra.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.infra.client.FleetClient;
import org.ltxfleet.infra.demo.SampleClipGenerator;
import org.ltxfleet.infra.stack.FleetStack;

/** One demo job: dataset, submission, progress, outputs. */
final class DemoRun {

    static final int CLIPS = 6;
    static final int SIZE = 512;
    static final int FPS = 24;
    static final int FRAMES = 97;
    static final long SEED = 2026;
    static final String TRIGGER = "fleetdemo";

    private final FleetStack fleet;
    private final Path output;
    private final int steps;
    private final ProgressLine progress = new ProgressLine();

    DemoRun(FleetStack fleet, Path output, int steps) {
        this.fleet = fleet;
        this.output = output;
        this.steps = steps;
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
        saveOutputs(client, result.body());
        var summary = Json.object().put("request_id", requestId).put("status", status.path("status").asText())
                .put("steps", steps).put("seconds", Math.round((System.nanoTime() - start) / 1e8) / 10.0);
        System.out.println("RESULT " + Json.toString(summary));
        return true;
    }

    private ObjectNode prepareInput() throws Exception {
        Path work = Files.createTempDirectory("fleet-demo");
        Console.step("generating " + CLIPS + " sample clips (" + SIZE + "x" + SIZE + ", " + FRAMES + " frames at "
                + FPS + " fps)");
        SampleClipGenerator.quietFfmpegLogs();
        Path zip = SampleClipGenerator.writeDatasetZip(work.resolve("sample-clips.zip"), CLIPS, SIZE, SIZE, FPS,
                FRAMES, SEED);
        // Validation keyframes come from a clip the job does not train on.
        Path start = SampleClipGenerator.writeFramePng(work.resolve("start.png"), SIZE, SIZE, FRAMES, SEED, CLIPS, 0);
        Path end = SampleClipGenerator.writeFramePng(work.resolve("end.png"), SIZE, SIZE, FRAMES, SEED, CLIPS,
                FRAMES - 1);

        Console.step("uploading the dataset to the embedded S3 store");
        ObjectNode input = Json.object();
        input.put("training_data_url", fleet.publish("demo/sample-clips.zip", zip));
        var sample = input.putArray("validation").addObject();
        sample.put("prompt", TRIGGER + " " + SampleClipGenerator.captionFor(SEED, CLIPS));
        sample.put("start_image_url", fleet.publish("demo/start.png", start));
        sample.put("end_image_url", fleet.publish("demo/end.png", end));
        input.put("trigger_phrase", TRIGGER);
        org.ltxfleet.infra.demo.DemoTraining.apply(input, steps);
        input.put("frame_rate", FPS);
        input.put("validation_resolution", "low");
        input.put("validation_number_of_frames", 49);
        input.put("debug_dataset", true);
        return input;
    }

    private void saveOutputs(FleetClient client, JsonNode result) throws Exception {
        Console.step("job COMPLETED; saving the outputs to " + output.toAbsolutePath());
        for (String field : new String[] {"lora_file", "config_file", "video", "debug_dataset"}) {
            JsonNode file = result.path(field);
            if (file.isMissingNode() || file.isNull()) {
                System.out.printf("  %-14s (none)%n", field);
                continue;
            }
            Path target = output.resolve(file.path("file_name").asText(field));
            client.download(file.path("url").asText(), target);
            System.out.printf("  %-14s %s%n  %-14s -> %s (%d bytes)%n", field, file.path("url").asText(), "",
                    target, Files.size(target));
        }
    }
}
