package org.ltxfleet.model.text.synthetic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.model.safetensors.DType;
import org.ltxfleet.model.safetensors.SafetensorsWriter;
import org.ltxfleet.model.text.gemma.Gemma3Config;
import org.ltxfleet.model.text.gemma.Gemma3TextModel;
import org.ltxfleet.model.text.gemma.LayerType;
import org.ltxfleet.model.text.gemma.RopeSpec;
import org.ltxfleet.model.text.ltx.ConnectorConfig;
import org.ltxfleet.model.text.ltx.TextEmbeddings;
import org.ltxfleet.model.text.ltx.TextEmbeddingsConfig;

/**
 * A tiny LTX-2.3 text encoder with seeded random weights, in the real files' layouts, for tests and
 * end-to-end runs without the 60 GB of real weights: a Gemma-3 model folder ({@link #writeGemmaFolder})
 * and LTX's text tensors ({@link #addTextEmbeddings}) with the {@code transformer} config keys that
 * describe them ({@link #transformerConfig}), ready to merge into a synthetic LTX checkpoint.
 * {@code Ltx23TextEncoder.load(gemmaFolder, checkpoint)} reads the result as it reads the real files.
 */
public record SyntheticTextModel(Gemma3Config gemma, TextEmbeddingsConfig embeddings, long seed) {

    /** Where google/gemma-3-12b-it keeps the text decoder (transformers 4.50's multimodal layout). */
    public static final String GEMMA_PREFIX = "language_model.model.";
    /** A vision-side tensor of the real checkpoint, there so loaders show they skip it. */
    static final String VISION_TENSOR = "multi_modal_projector.mm_soft_emb_norm.weight";

    /**
     * Gemma-3 of 2 layers (sliding window 512, then global) at width 32 with 2 × 16 heads over one kv
     * head and the synthetic tokenizer's 512 ids; LTX connectors of 2 blocks with 128 registers (the
     * real count, so 1024 tokens tile them), video {@code videoHeads × videoHeadDim} and audio 2 × 16.
     *
     * @param videoHeads the video transformer's heads (the connector width must equal its hidden width)
     * @param videoHeadDim the video transformer's head width
     */
    public static SyntheticTextModel of(int videoHeads, int videoHeadDim, long seed) {
        var gemma = new Gemma3Config(SyntheticGemmaTokenizer.VOCAB, 32, 64, 2, 1, 16, 16, 512,
                List.of(LayerType.SLIDING_ATTENTION, LayerType.FULL_ATTENTION), new RopeSpec(1_000_000, 8),
                RopeSpec.plain(10_000), 1e-6f);
        var embeddings = new TextEmbeddingsConfig(videoHeads * videoHeadDim, 32,
                new ConnectorConfig(videoHeads, videoHeadDim, 2, TextEmbeddingsConfig.DEFAULT_REGISTERS, 4096, true),
                new ConnectorConfig(2, 16, 2, TextEmbeddingsConfig.DEFAULT_REGISTERS, 4096, true));
        return new SyntheticTextModel(gemma, embeddings, seed);
    }

    /** The same shapes with other weights. */
    public SyntheticTextModel withSeed(long otherSeed) {
        return new SyntheticTextModel(gemma, embeddings, otherSeed);
    }

    /**
     * Writes {@code tokenizer.json}, {@code config.json} (Gemma3ForConditionalGeneration, the decoder
     * under {@code text_config}) and {@code model.safetensors} (float32, real names under
     * {@link #GEMMA_PREFIX}) into {@code folder}, creating it; returns {@code folder}.
     */
    public Path writeGemmaFolder(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.write(folder.resolve("tokenizer.json"), Json.toBytes(SyntheticGemmaTokenizer.json()));
        ObjectNode config = Json.object();
        config.putArray("architectures").add("Gemma3ForConditionalGeneration");
        config.put("model_type", "gemma3").put("torch_dtype", "float32");
        config.set("text_config", gemma.toTextConfig());
        Files.write(folder.resolve("config.json"), Json.toBytes(config));
        var values = new SeededTensors(seed, 0);
        var writer = new SafetensorsWriter();
        new Gemma3TextModel(gemma).parametersByName().forEach((name, parameter) -> {
            long[] shape = parameter.getShape().getShape();
            writer.add(GEMMA_PREFIX + name, DType.F32, shape, () -> values.values(name, shape));
        });
        writer.add(VISION_TENSOR, DType.F32, new long[] {16}, () -> values.values(VISION_TENSOR, new long[] {16}));
        writer.write(folder.resolve("model.safetensors"));
        return folder;
    }

    /**
     * Adds the feature extractor ({@code text_embedding_projection.*}) and both connectors
     * ({@code model.diffusion_model.video_embeddings_connector.*}, {@code ...audio_embeddings_connector.*})
     * to {@code writer} as float32, by their single-file checkpoint names; returns {@code writer}.
     * Values are fetched when the writer writes.
     */
    public SafetensorsWriter addTextEmbeddings(SafetensorsWriter writer) {
        var values = new SeededTensors(seed, 1);
        new TextEmbeddings(embeddings, gemma.hidden(), gemma.layers() + 1).parametersByName()
                .forEach((name, parameter) -> {
                    long[] shape = parameter.getShape().getShape();
                    writer.add(name, DType.F32, shape, () -> values.values(name, shape));
                });
        return writer;
    }

    /**
     * The keys of the checkpoint {@code config} metadata's {@code transformer} section that the text
     * path reads ({@link TextEmbeddingsConfig#toTransformerSection}); merge them into the transformer's.
     */
    public ObjectNode transformerConfig() {
        return embeddings.toTransformerSection();
    }

    /** A file with only the text tensors and {@code {"transformer": transformerConfig()}} as its config. */
    public Path writeTextEmbeddings(Path file) throws IOException {
        ObjectNode config = Json.object();
        config.set("transformer", transformerConfig());
        addTextEmbeddings(new SafetensorsWriter()).metadata("config", Json.toString(config)).write(file);
        return file;
    }
}
