package org.ltxfleet.model.parity;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ltxfleet.model.lora.LoraFusion;
import org.ltxfleet.model.lora.LoraLoader;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.transformer.LoraSpec;
import org.ltxfleet.model.transformer.TransformerConfig;
import org.ltxfleet.model.transformer.VideoTransformer;
import org.ltxfleet.model.transformer.Weights;

/**
 * An official ltx-trainer LoRA ({@code golden/ltx23/lora}: rank 4 on the attention projections of
 * the {@code ../transformer} reference model) loaded with our loader and applied at two strengths,
 * and fused into the base weights as ltx-core does, against the official results. The LoRA file
 * carries no config (ltx-trainer saves none for text-to-video); the base model's depth and widths
 * come from where its README says the base comes from, the sibling {@code transformer} folder's
 * {@code weights.safetensors} metadata ({@link TransformerParity#config}), and the adapters' rank
 * from the LoRA file itself.
 */
public final class LoraParity {

    private static final double OUTPUT = 1e-4;
    private static final double WEIGHT = 1e-5;
    private static final String FUSED_LAYER = "transformer_blocks.0.attn1.to_q";

    private LoraParity() {
    }

    /** Every comparison the folder's tensors allow; the reference transformer is its sibling {@code transformer}. */
    public static List<Comparison> run(Path folder) throws IOException {
        Path transformer = folder.resolveSibling("transformer");
        Path lora = folder.resolve("lora_weights.safetensors");
        TransformerConfig config = TransformerParity.config(transformer);
        LoraSpec spec = LoraLoader.spec(lora);
        var results = new ArrayList<Comparison>();
        try (var golden = SafetensorsReader.open(folder.resolve("golden.safetensors"));
             var base = SafetensorsReader.open(transformer.resolve("golden.safetensors"));
             NDManager manager = NDManager.newBaseManager()) {
            for (float strength : new float[] {1f, 0.5f}) {
                var model = model(transformer, config, spec, manager);
                LoraLoader.load(model.parametersByName(), lora, strength);
                String key = "caseA.out.velocity_lora_strength" + (strength == 1f ? "1p0" : "0p5");
                results.add(Comparison.of("caseA velocity, LoRA at strength " + strength,
                        TransformerParity.maskedVelocity(model, base, manager), golden.readFloats(key), OUTPUT));
            }
            var model = model(transformer, config, spec, manager);
            LoraLoader.load(model.parametersByName(), lora);
            LoraFusion.fuse(model.parametersByName());
            results.add(Comparison.of(FUSED_LAYER + ".weight fused",
                    model.parametersByName().get(FUSED_LAYER + ".weight").getArray().toFloatArray(),
                    golden.readFloats("fused." + FUSED_LAYER + ".weight"), WEIGHT));
            results.add(Comparison.of("caseA velocity, LoRA fused", TransformerParity.maskedVelocity(model, base, manager),
                    golden.readFloats("caseA.out.velocity_lora_strength1p0"), OUTPUT));
        }
        return results;
    }

    /** The reference transformer with the file's adapters at their initial values (B = 0). */
    private static VideoTransformer model(Path transformer, TransformerConfig config, LoraSpec spec, NDManager manager)
            throws IOException {
        var model = new VideoTransformer(config, spec);
        Weights.initializeAdapters(model, manager, 1);
        Weights.load(model, List.of(transformer.resolve(TransformerParity.WEIGHTS)), manager);
        return model;
    }
}
