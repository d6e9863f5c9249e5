package org.ltxfleet.model.preset;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.model.safetensors.SafetensorsWriter;
import org.ltxfleet.model.text.synthetic.SyntheticTextModel;
import org.ltxfleet.model.transformer.LoraSpec;
import org.ltxfleet.model.transformer.TransformerConfig;
import org.ltxfleet.model.transformer.VideoTransformer;
import org.ltxfleet.model.transformer.Weights;
import org.ltxfleet.model.vae.ltx.SyntheticVaeWeights;
import org.ltxfleet.model.vae.ltx.VaeConfig;

/**
 * A reduced LTX-2.3 release with seeded weights, laid out as the real files are: one checkpoint
 * holding the transformer ({@code model.diffusion_model.…}), the VAE ({@code vae.…}) and the text
 * feature extractor and connectors, with their {@code config} metadata; and a Gemma-3 folder
 * ({@code config.json}, {@code model.safetensors}, {@code tokenizer.json}). The {@code ltx-2.3}
 * preset runs it through the same code as the release, so a job can go end to end without 60 GB
 * of weights. Its outputs are noise: it proves the plumbing, not the model.
 *
 * @param checkpoint the single-file checkpoint ({@code model.weights})
 * @param gemma the Gemma-3 folder ({@code model.text.encoder})
 */
public record SyntheticLtx23(Path checkpoint, Path gemma) {

    /** 2 blocks of 2 × 32 heads, 16 latent channels: small enough for a CPU test job. */
    public static final TransformerConfig TRANSFORMER = TransformerConfig.ltx23().withBlocks(2).withHeads(2, 32)
            .withLatentChannels(16);
    /** LTX-2.3's VAE blocks at 16 latent and 8 decoder channels. */
    public static final VaeConfig VAE = VaeConfig.ltx23().withWidths(TRANSFORMER.latentChannels(), 8);

    /** Writes both into {@code dir} (created), seeded. */
    public static SyntheticLtx23 write(Path dir, long seed) throws IOException {
        Files.createDirectories(dir);
        var text = SyntheticTextModel.of(TRANSFORMER.heads(), TRANSFORMER.headDim(), seed);
        Path gemma = text.writeGemmaFolder(dir.resolve("gemma-3"));
        Path checkpoint = dir.resolve("ltx-2.3-synthetic.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            var transformer = new VideoTransformer(TRANSFORMER, LoraSpec.none());
            Weights.initialize(transformer, manager, seed);
            var writer = new SafetensorsWriter();
            Weights.addBase(transformer, writer, Weights.CHECKPOINT_PREFIX);
            SyntheticVaeWeights.add(VAE, writer, seed, 0, 1);
            text.addTextEmbeddings(writer);
            // The release keeps the connectors' keys in its transformer section too.
            ObjectNode section = text.transformerConfig();
            section.setAll(TRANSFORMER.toCheckpointMetadata());
            ObjectNode config = Json.object();
            config.set("transformer", section);
            config.set("vae", VAE.toCheckpointMetadata());
            writer.metadata("config", Json.toString(config)).metadata("model_version", "2.3.0-synthetic")
                    .write(checkpoint);
        }
        return new SyntheticLtx23(checkpoint, gemma);
    }

    /** The preset reading these files. */
    public Preset preset(Path modelDir) {
        return Preset.named(Ltx23Preset.NAME, new Preset.Sources(modelDir, List.of(checkpoint), gemma));
    }
}
