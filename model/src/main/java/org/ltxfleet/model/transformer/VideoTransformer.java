package org.ltxfleet.model.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ltxfleet.model.nn.CheckpointNames;
import org.ltxfleet.model.nn.Functional;
import org.ltxfleet.model.nn.LoraLinear;
import org.ltxfleet.model.nn.Module;

/**
 * The LTX video transformer (video stream of LTX-2.3, docs/ltx-2.3-architecture.md §1): latent
 * tokens → {@code patchify_proj} → blocks modulated by {@code adaln_single} (per-token σ) and
 * {@code prompt_adaln_single} (the sample's σ) → LayerNorm modulated by the final
 * {@code scale_shift_table} and the embedded timestep → {@code proj_out}: the velocity
 * {@code ε − x₀} per token. Parameter names are the checkpoint's, without {@code model.diffusion_model.}.
 */
public final class VideoTransformer extends Module {

    private final TransformerConfig config;
    private final LoraSpec lora;
    private final LoraLinear patchifyProj;
    private final AdaLayerNormSingle adalnSingle;
    private final AdaLayerNormSingle promptAdalnSingle;
    private final List<TransformerBlock> blocks = new ArrayList<>();
    private final Parameter scaleShiftTable;
    private final LoraLinear projOut;

    public VideoTransformer(TransformerConfig config, LoraSpec lora) {
        this.config = config;
        this.lora = lora;
        int width = config.hidden();
        this.patchifyProj = child("patchify_proj", LoraLinear.of(config.latentChannels(), width));
        this.adalnSingle = child("adaln_single", new AdaLayerNormSingle(width, config.adalnRows()));
        this.promptAdalnSingle = config.crossAttentionAdaln()
                ? child("prompt_adaln_single", new AdaLayerNormSingle(width, 2)) : null;
        for (int i = 0; i < config.blocks(); i++) {
            blocks.add(child("transformer_blocks." + i, new TransformerBlock(config, lora)));
        }
        this.scaleShiftTable = parameter("scale_shift_table", new Shape(2, width));
        this.projOut = child("proj_out", LoraLinear.of(width, config.latentChannels()));
    }

    public TransformerConfig config() {
        return config;
    }

    public LoraSpec lora() {
        return lora;
    }

    /** Every parameter by checkpoint name. */
    public Map<String, Parameter> parametersByName() {
        return CheckpointNames.of(this);
    }

    /** Number of base (non-LoRA) parameters, from the declared shapes; nothing is allocated. */
    public long baseParameterCount() {
        return parametersByName().entrySet().stream()
                .filter(e -> !isLora(e.getKey()))
                .mapToLong(e -> e.getValue().getShape().size())
                .sum();
    }

    /** Whether a checkpoint name belongs to an adapter. */
    public static boolean isLora(String name) {
        return name.endsWith(".lora_A") || name.endsWith(".lora_B");
    }

    /** Freezes the base so that only the adapters learn. */
    public void freezeBase() {
        parametersByName().forEach((name, parameter) -> parameter.freeze(!isLora(name)));
    }

    /** Velocity predictions {@code [B, T, C]} for every token. */
    public NDArray forward(TransformerInput in) {
        long batch = in.latents().getShape().get(0);
        long tokens = in.latents().getShape().get(1);
        int width = config.hidden();
        NDArray x = patchifyProj.apply(in.latents());
        NDArray embedded = adalnSingle.embed(in.timesteps());
        NDArray modulation = adalnSingle.modulation(embedded).reshape(batch, tokens, config.adalnRows(), width);
        NDArray promptModulation = promptAdalnSingle == null ? null
                : promptAdalnSingle.modulation(promptAdalnSingle.embed(in.sigma().reshape(batch, 1)))
                        .reshape(batch, 1, 2, width);
        for (int i = 0; i < blocks.size(); i++) {
            x = blocks.get(i).apply(x, modulation, promptModulation, in.context(), in.rope(),
                    in.skipSelfAttentionIn().contains(i));
        }
        NDList shiftScale = embedded.expandDims(2).add(scaleShiftTable.getArray()).split(2, 2);
        x = Functional.modulate(Functional.layerNorm(x, TransformerConfig.NORM_EPS),
                shiftScale.get(0).squeeze(2), shiftScale.get(1).squeeze(2));
        return projOut.apply(x);
    }
}
