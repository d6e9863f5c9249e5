package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.s3.ObjectStore;
import org.ltxfleet.common.s3.S3Settings;
import org.ltxfleet.infra.demo.SampleClipGenerator;
import org.ltxfleet.infra.stack.FleetStack;
import org.ltxfleet.infra.stack.StackOptions;
import org.ltxfleet.model.latent.LatentBundle;
import org.ltxfleet.model.latent.TrainingExample;
import org.ltxfleet.model.preset.SyntheticLtx23;
import org.ltxfleet.model.safetensors.SafetensorsReader;

/**
 * An {@code ltx-2.3} job end to end on the embedded stack, on a reduced release with the real file
 * layouts and names ({@link SyntheticLtx23}: transformer, VAE, text connectors in one checkpoint;
 * Gemma-3 with its {@code tokenizer.json} in a folder): preprocessing encodes captions through the
 * tokenizer, Gemma and the connectors into 1,024-token contexts, training runs on them, the LoRA
 * and the reel export.
 */
@CpuBound(seconds = 60, usesTinyBase = false)
class Ltx23JobIT {

    @Test
    void anLtx23JobRunsEndToEndOnAReducedReleaseWithTheRealNames(@TempDir Path dir) throws Exception {
        SyntheticLtx23 release = SyntheticLtx23.write(dir.resolve("release"), 11);
        Path data = Files.createDirectories(dir.resolve("stack"));
        Files.writeString(data.resolve("fleet.properties"), "model.preset=ltx-2.3\nmodel.weights=" + release.checkpoint()
                + "\nmodel.text.encoder=" + release.gemma() + "\ndownload.attempts=1\n");
        // FleetStack itself, not TestStacks.start: this stack needs no tiny base weights.
        try (FleetStack stack = FleetStack.start(StackOptions.forTests(data))) {
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
}
