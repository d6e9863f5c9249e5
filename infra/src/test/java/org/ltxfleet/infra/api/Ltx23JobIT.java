package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.s3.ObjectStore;
import org.ltxfleet.common.s3.S3Clients;
import org.ltxfleet.common.s3.S3Settings;
import org.ltxfleet.infra.demo.SampleClipGenerator;
import org.ltxfleet.infra.stack.FleetStack;
import org.ltxfleet.infra.stack.StackOptions;
import org.ltxfleet.model.latent.LatentBundle;
import org.ltxfleet.model.latent.TrainingExample;
import org.ltxfleet.model.preset.SyntheticLtx23;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.preprocess.PreprocessWorker;
import org.ltxfleet.train.TrainWorker;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An {@code ltx-2.3} job end to end on the embedded stack, on a reduced release with the real file
 * layouts and names ({@link SyntheticLtx23}: transformer, VAE, text connectors in one checkpoint;
 * Gemma-3 with its {@code tokenizer.json} in a folder): preprocessing encodes captions through the
 * tokenizer, Gemma and the connectors into 1,024-token contexts, training runs on them, the LoRA
 * and the reel export.
 */
@CpuBound(seconds = 60, usesTinyBase = false)
class Ltx23JobIT {

    private static final String RELEASE_BUCKET = "ltx-release";

    @Test
    void anLtx23JobRunsEndToEndOnAReducedReleaseWithTheRealNames(@TempDir Path dir) throws Exception {
        SyntheticLtx23 release = SyntheticLtx23.write(dir.resolve("release"), 11);
        Path data = Files.createDirectories(dir.resolve("stack"));
        Files.writeString(data.resolve("fleet.properties"), "model.preset=ltx-2.3\ndownload.attempts=1\n");
        // FleetStack itself, not TestStacks.start: this stack needs no tiny base weights. Its workers start
        // once the release is in the store, as a cluster's would find it.
        try (FleetStack stack = FleetStack.start(StackOptions.forTests(data).withWorkers(false))) {
            FleetConfig workers = withReleaseInStore(stack, release).with("worker.name", "ltx23-it");
            try (var preprocess = PreprocessWorker.start(workers); var train = TrainWorker.start(workers)) {
                runJob(stack, dir);
            }
            Path fetched = Path.of(stack.config().string("model.dir", null)).resolve("s3").resolve(RELEASE_BUCKET);
            assertThat(fetched.resolve("ltx-2.3/ltx-2.3-synthetic.safetensors")).hasSameBinaryContentAs(release.checkpoint());
            assertThat(fetched.resolve("gemma-3/tokenizer.json")).hasSameBinaryContentAs(release.gemma().resolve("tokenizer.json"));
        }
    }

    /** Puts the release in a bucket of its own and names it by {@code s3://} locations, as a cluster's settings would. */
    private static FleetConfig withReleaseInStore(FleetStack stack, SyntheticLtx23 release) throws IOException {
        S3Settings settings = S3Settings.from(stack.config());
        try (S3Client s3 = S3Clients.client(settings); var files = Files.walk(release.gemma())) {
            S3Clients.ensureBucket(s3, RELEASE_BUCKET);
            s3.putObject(b -> b.bucket(RELEASE_BUCKET).key("ltx-2.3/ltx-2.3-synthetic.safetensors"),
                    RequestBody.fromFile(release.checkpoint()));
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String key = "gemma-3/" + release.gemma().relativize(file).toString().replace('\\', '/');
                s3.putObject(b -> b.bucket(RELEASE_BUCKET).key(key), RequestBody.fromFile(file));
            }
        }
        return stack.config()
                .with("model.weights", "s3://" + RELEASE_BUCKET + "/ltx-2.3/ltx-2.3-synthetic.safetensors")
                .with("model.text.encoder", "s3://" + RELEASE_BUCKET + "/gemma-3/");
    }

    private static void runJob(FleetStack stack, Path dir) throws Exception {
        var client = TestStacks.client(stack);
        SampleClipGenerator.quietFfmpegLogs();
        Path start = SampleClipGenerator.writeFramePng(dir.resolve("start.png"), 256, 256, 33, 7, 9, 0);
        Path end = SampleClipGenerator.writeFramePng(dir.resolve("end.png"), 256, 256, 33, 7, 9, 32);
        var input = TestStacks.smallJob(TestStacks.sampleDataset(stack, 1), 100);
        input.put("trigger_phrase", "ltxstyle");
        input.put("validation_number_of_frames", 9);
        input.put("validation_resolution", "low");
        input.put("validation_aspect_ratio", "1:1");
        var entry = input.putArray("validation").addObject();
        entry.put("prompt", "a shape moving");
        entry.put("start_image_url", stack.publish("it/start-" + System.nanoTime() + ".png", start));
        entry.put("end_image_url", stack.publish("it/end-" + System.nanoTime() + ".png", end));
        String id = client.submit(Json.toString(input)).body().get("request_id").asText();

        JsonNode status = TestStacks.awaitOutcome(client, id, Duration.ofMinutes(5));
        status.get("logs").forEach(l -> System.out.println("ltx-2.3 job: " + l.path("timestamp").asText() + " "
                + l.path("message").asText()));
        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("COMPLETED");
        assertThat(status.get("logs")).extracting(l -> l.get("message").asText())
                .anyMatch(m -> m.startsWith("train: training ltx-2.3 with rank-8 adapters"));

        JsonNode result = client.result(id).body();
        Path lora = dir.resolve("lora.safetensors");
        client.download(result.get("lora_file").get("url").asText(), lora);
        try (var reader = SafetensorsReader.open(lora)) {
            // ltx-2.3 adapts attention only: 2 blocks × 8 projections × A and B.
            assertThat(reader.names()).hasSize(2 * 8 * 2).noneMatch(n -> n.contains(".ff."));
            assertThat(reader.info("diffusion_model.transformer_blocks.0.attn2.to_k.lora_A.weight").shape())
                    .containsExactly(8, 64);
            assertThat(reader.metadata()).containsEntry("base_model", "ltx-2.3");
        }
        assertThat(result.get("video").get("url").asText()).isNotBlank();

        try (var store = ObjectStore.open(S3Settings.from(stack.config()))) {
            String bundleKey = store.keys("datasets/").stream().filter(k -> k.endsWith(LatentBundle.TENSORS))
                    .findFirst().orElseThrow();
            Path bundle = store.get(bundleKey, dir.resolve("bundle.safetensors"));
            try (var reader = SafetensorsReader.open(bundle)) {
                assertThat(reader.metadata().get("text_encoder")).startsWith("ltx23-gemma3-v1-1024-");
            }
            for (TrainingExample example : LatentBundle.read(bundle)) {
                assertThat(example.video().channels()).isEqualTo(SyntheticLtx23.TRANSFORMER.latentChannels());
                assertThat(example.caption().tokens()).isEqualTo(1024);
                assertThat(example.caption().width()).isEqualTo(SyntheticLtx23.TRANSFORMER.hidden());
                assertThat(example.caption().validTokens()).as("the connector's registers fill every pad")
                        .isEqualTo(1024);
            }
        }
    }
}
