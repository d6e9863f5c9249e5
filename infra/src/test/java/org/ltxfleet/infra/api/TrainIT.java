package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.infra.client.FleetClient;
import org.ltxfleet.infra.demo.SampleClipGenerator;
import org.ltxfleet.infra.stack.FleetStack;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.transformer.TransformerConfig;

/**
 * Jobs through the real workers on the real embedded broker and store: submit → preprocess →
 * train → COMPLETED with every output downloadable; cancel mid-training; a dataset that fails
 * is not billed. Usage is read from the gateway's ledger.
 */
@CpuBound(seconds = 50)
class TrainIT {

    private static final Pattern LORA_KEY = Pattern.compile(
            "diffusion_model\\.transformer_blocks\\.\\d+\\.(attn[12]\\.(to_q|to_k|to_v|to_out\\.0)|ff\\.net\\.(0\\.proj|2))"
            + "\\.lora_[AB]\\.weight");

    private static FleetStack stack;
    private static FleetClient client;

    @BeforeAll
    static void start() throws Exception {
        stack = TestStacks.withWorkers();
        client = TestStacks.client(stack);
    }

    @Test
    void aJobTrainsAndItsOutputsDownload(@TempDir Path dir) throws Exception {
        SampleClipGenerator.quietFfmpegLogs();
        Path start = SampleClipGenerator.writeFramePng(dir.resolve("start.png"), 256, 256, 33, 7, 9, 0);
        Path end = SampleClipGenerator.writeFramePng(dir.resolve("end.png"), 256, 256, 33, 7, 9, 32);
        var input = Json.object();
        input.put("training_data_url", TestStacks.sampleDataset(stack, 3));
        input.put("trigger_phrase", "tstyle");
        input.put("number_of_frames", 25);
        input.put("resolution", "low");
        input.put("aspect_ratio", "16:9");
        input.put("rank", 8);
        input.put("number_of_steps", 100);
        input.put("validation_number_of_frames", 17);
        input.put("validation_resolution", "low");
        input.put("validation_aspect_ratio", "1:1");
        input.put("debug_dataset", true);
        var entry = input.putArray("validation").addObject();
        entry.put("prompt", "a shape moving");
        entry.put("start_image_url", stack.publish("it/start-" + System.nanoTime() + ".png", start));
        entry.put("end_image_url", stack.publish("it/end-" + System.nanoTime() + ".png", end));
        int billedBefore = TestStacks.billedRecently(stack);
        String id = client.submit(Json.toString(input)).body().get("request_id").asText();

        JsonNode status = TestStacks.awaitOutcome(client, id, Duration.ofMinutes(6));
        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("COMPLETED");
        assertThat(status.get("logs")).extracting(l -> l.get("message").asText())
                .anyMatch(m -> m.startsWith("preprocess: encoded 3 sample(s)"))
                .anyMatch(m -> m.startsWith("train: training tiny with rank-8 adapters"));
        JsonNode result = client.result(id).body();

        Path lora = download(result.get("lora_file"), dir.resolve("lora.safetensors"));
        try (var reader = SafetensorsReader.open(lora)) {
            // 2 blocks × (8 attention projections + 2 feed-forward layers: tiny adapts both) × A and B.
            assertThat(reader.names()).hasSize(2 * 10 * 2).allMatch(n -> LORA_KEY.matcher(n).matches());
            assertThat(reader.info("diffusion_model.transformer_blocks.0.attn1.to_q.lora_A.weight").shape())
                    .containsExactly(8L, (long) TransformerConfig.tiny().hidden());
            assertThat(reader.metadata()).containsEntry("trigger_phrase", "tstyle").containsEntry("rank", "8")
                    .containsEntry("training_type", "interpolate")
                    .containsEntry("keyframe_layouts", "appended,first-in-place")
                    .containsEntry("keyframe_first_in_place_share", "0.5")
                    .containsEntry("keyframe_min_ltx_core", "1.1.2");
        }
        JsonNode config = Json.readTree(Files.readAllBytes(download(result.get("config_file"), dir.resolve("config.json"))));
        assertThat(config.get("number_of_steps").asInt()).isEqualTo(100);
        assertThat(config.get("steps_trained").asInt()).isEqualTo(100);
        assertThat(config.get("width").asInt()).isEqualTo(512);
        assertThat(config.get("height").asInt()).isEqualTo(288);

        Path reel = download(result.get("video"), dir.resolve("reel.mp4"));
        try (var grabber = new FFmpegFrameGrabber(reel.toFile())) {
            grabber.start();
            assertThat(grabber.getVideoCodecName()).isEqualTo("h264");
            assertThat(grabber.getImageWidth()).isEqualTo(512);
            assertThat(grabber.getImageHeight()).isEqualTo(512);
            int frames = 0;
            while (grabber.grabImage() != null) {
                frames++;
            }
            assertThat(frames).isEqualTo(17);
        }
        Path debug = download(result.get("debug_dataset"), dir.resolve("debug.zip"));
        assertThat(Files.size(debug)).isPositive();
        await().atMost(Duration.ofSeconds(10)).until(() -> TestStacks.billedRecently(stack), n -> n == billedBefore + 1);
        // The gateway's metrics carry the ledger's total.
        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                stack.gatewayMetricsUrl()).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).containsPattern("fleet_gateway_billed_units [1-9]");
        assertThat(jobObjects(id)).as("the checkpoint and validation keyframes go at the end; outputs stay")
                .contains("jobs/" + id + "/done.json").anyMatch(k -> k.contains("/outputs/"))
                .noneMatch(k -> k.contains("/checkpoints/") || k.endsWith("validation.safetensors"));
    }

    @Test
    void cancelingDuringTrainingStopsItUnbilled() throws Exception {
        var input = TestStacks.jobInput(TestStacks.sampleDataset(stack, 1), 25, 5000);
        int billedBefore = TestStacks.billedRecently(stack);
        String id = client.submit(Json.toString(input)).body().get("request_id").asText();
        TestStacks.awaitTrainingStep(client, id, 5, Duration.ofMinutes(4));
        assertThat(client.cancel(id).status()).isEqualTo(202);
        JsonNode status = TestStacks.awaitOutcome(client, id, Duration.ofSeconds(60));
        assertThat(status.get("state").asText()).isEqualTo("CANCELED");
        assertThat(status.path("progress").path("done").asInt()).isLessThan(5000);
        Thread.sleep(1000);
        assertThat(TestStacks.billedRecently(stack)).isEqualTo(billedBefore);
    }

    @Test
    void aDatasetWithoutUsableClipsFailsUnbilled(@TempDir Path dir) throws Exception {
        Path zip = dir.resolve("broken.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new java.util.zip.ZipEntry("clip.mp4"));
            out.write("this is not a video".getBytes());
            out.closeEntry();
        }
        var input = Json.object();
        input.put("training_data_url", stack.publish("it/broken-" + System.nanoTime() + ".zip", zip));
        // Validation keyframes are encoded and stored before the dataset is read: they must not outlive the failure.
        var entry = input.putArray("validation").addObject();
        entry.put("prompt", "a shape moving");
        entry.put("start_image_url", stack.publish("it/start-" + System.nanoTime() + ".png",
                SampleClipGenerator.writeFramePng(dir.resolve("start.png"), 256, 256, 33, 7, 9, 0)));
        entry.put("end_image_url", stack.publish("it/end-" + System.nanoTime() + ".png",
                SampleClipGenerator.writeFramePng(dir.resolve("end.png"), 256, 256, 33, 7, 9, 32)));
        int billedBefore = TestStacks.billedRecently(stack);
        String id = client.submit(Json.toString(input)).body().get("request_id").asText();
        JsonNode status = TestStacks.awaitOutcome(client, id, Duration.ofSeconds(60));
        assertThat(status.get("state").asText()).isEqualTo("FAILED");
        assertThat(status.get("error").asText()).contains("No usable training data");
        assertThat(status.get("logs").toString()).contains("validation entry fitted");
        Thread.sleep(1000);
        assertThat(TestStacks.billedRecently(stack)).isEqualTo(billedBefore);
        assertThat(jobObjects(id)).noneMatch(k -> k.endsWith("validation.safetensors"));
    }

    private static java.util.List<String> jobObjects(String id) {
        try (var store = org.ltxfleet.common.s3.ObjectStore.open(org.ltxfleet.common.s3.S3Settings.from(stack.config()))) {
            return store.keys("jobs/" + id + "/");
        }
    }

    private static Path download(JsonNode file, Path target) throws Exception {
        assertThat(file.isObject()).as("output file").isTrue();
        client.download(file.get("url").asText(), target);
        assertThat(Files.size(target)).isEqualTo(file.get("file_size").asLong());
        return target;
    }

}
