package org.ltxfleet.model.text.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.model.safetensors.DType;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.safetensors.SafetensorsWriter;
import org.ltxfleet.model.text.gemma.Gemma3TextModel;
import org.ltxfleet.model.text.gemma.GemmaFolder;
import org.ltxfleet.model.text.gemma.GemmaWeights;
import org.ltxfleet.model.text.ltx.TextEmbeddings;

class SyntheticTextModelTest {

    private final SyntheticTextModel synthetic = SyntheticTextModel.of(4, 32, 3);

    @Test
    void theGemmaFolderHasTheRealLayoutAndLoads(@TempDir Path dir) throws IOException {
        GemmaFolder folder = GemmaFolder.of(synthetic.writeGemmaFolder(dir.resolve("gemma")));
        assertThat(folder.readConfig()).isEqualTo(synthetic.gemma());
        assertThat(Json.readTree(Files.readAllBytes(folder.config())).path("model_type").asText()).isEqualTo("gemma3");
        try (var reader = SafetensorsReader.open(folder.shards().getFirst())) {
            assertThat(reader.names()).contains("language_model.model.embed_tokens.weight",
                    "language_model.model.layers.1.self_attn.q_norm.weight", SyntheticTextModel.VISION_TENSOR);
        }
        var model = new Gemma3TextModel(folder.readConfig());
        try (NDManager manager = NDManager.newBaseManager()) {
            // Every decoder tensor lands in a parameter; the vision-side one is skipped.
            assertThat(GemmaWeights.load(model, folder.shards(), manager)).isEqualTo(model.parametersByName().size());
        }
        var vocab = Json.readTree(Files.readAllBytes(folder.tokenizer())).path("model").path("vocab");
        vocab.forEach(id -> assertThat(id.asInt()).isLessThan(synthetic.gemma().vocabSize()));
    }

    /** As the end-to-end checkpoint does it: text tensors beside others, the keys merged into the transformer's. */
    @Test
    void textTensorsAddedToAnotherCheckpointLoadWithTheMergedConfig(@TempDir Path dir) throws IOException {
        var writer = new SafetensorsWriter()
                .add("model.diffusion_model.patchify_proj.weight", DType.F32, new long[] {128, 8}, new float[128 * 8]);
        synthetic.addTextEmbeddings(writer);
        ObjectNode transformer = Json.object().put("num_layers", 2).put("cross_attention_dim", 128);
        transformer.setAll(synthetic.transformerConfig());
        ObjectNode config = Json.object();
        config.set("transformer", transformer);
        Path file = dir.resolve("ltx-2.3-synthetic.safetensors");
        writer.metadata("config", Json.toString(config)).write(file);
        try (NDManager manager = NDManager.newBaseManager()) {
            var loaded = TextEmbeddings.load(file, synthetic.gemma().hidden(), synthetic.gemma().layers() + 1, manager);
            assertThat(loaded.config()).isEqualTo(synthetic.embeddings());
            assertThat(loaded.config().videoWidth()).isEqualTo(128);
            String registers = "model.diffusion_model.video_embeddings_connector.learnable_registers";
            assertThat(loaded.parametersByName().get(registers).getArray().getShape().getShape())
                    .containsExactly(128, 128);
        }
    }

    @Test
    void anotherSeedGivesOtherWeightsOfTheSameShapes(@TempDir Path dir) throws IOException {
        Path a = synthetic.writeTextEmbeddings(dir.resolve("a.safetensors"));
        Path b = synthetic.withSeed(4).writeTextEmbeddings(dir.resolve("b.safetensors"));
        Path again = synthetic.writeTextEmbeddings(dir.resolve("again.safetensors"));
        assertThat(again).hasSameBinaryContentAs(a);
        String name = "text_embedding_projection.video_aggregate_embed.weight";
        try (var ra = SafetensorsReader.open(a); var rb = SafetensorsReader.open(b)) {
            assertThat(rb.names()).isEqualTo(ra.names());
            assertThat(rb.info(name).shape()).isEqualTo(ra.info(name).shape());
            assertThat(rb.readFloats(name)).isNotEqualTo(ra.readFloats(name));
        }
    }
}
