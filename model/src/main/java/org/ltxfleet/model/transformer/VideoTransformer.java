package org.ltxfleet.model.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ltxfleet.model.nn.AttentionKernel;
import org.ltxfleet.model.nn.BackwardTape;
import org.ltxfleet.model.nn.CheckpointNames;
import org.ltxfleet.model.nn.Functional;
import org.ltxfleet.model.nn.LoraLinear;
import org.ltxfleet.model.nn.Module;
import org.ltxfleet.model.nn.Scopes;
import org.ltxfleet.model.nn.Tensors;

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
    private AttentionKernel kernel = AttentionKernel.defaults();

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

    /** The attention kernel every forward pass uses (its score budget). */
    public AttentionKernel attentionKernel() {
        return kernel;
    }

    public void attentionKernel(AttentionKernel value) {
        this.kernel = value;
    }

    /**
     * What the blocks read besides the tokens: the patchified tokens, the per-token AdaLN modulation
     * {@code [B, T, rows, D]}, the prompt AdaLN's {@code [B, 1, 2, D]} (2.3, else null) and the
     * embedded timestep {@code [B, T, D]} the output layer reads.
     */
    public record Prologue(NDArray tokens, NDArray modulation, NDArray promptModulation, NDArray embedded) {

        NDArray[] all() {
            return new NDArray[] {tokens, modulation, promptModulation, embedded};
        }
    }

    /** Everything before the first block. */
    public Prologue prologue(TransformerInput in) {
        long batch = in.latents().getShape().get(0);
        long tokens = in.latents().getShape().get(1);
        int width = config.hidden();
        NDArray x = patchifyProj.apply(in.latents());
        NDArray embedded = adalnSingle.embed(in.timesteps());
        NDArray modulation = Scopes.scoped(() -> adalnSingle.modulation(embedded).reshape(batch, tokens, config.adalnRows(), width));
        NDArray promptModulation = promptAdalnSingle == null ? null
                : Scopes.scoped(() -> promptAdalnSingle.modulation(promptAdalnSingle.embed(in.sigma().reshape(batch, 1)))
                        .reshape(batch, 1, 2, width));
        return new Prologue(x, modulation, promptModulation, embedded);
    }

    /** Block {@code index} applied to {@code x}; a recording tape cuts its graph at each attention. */
    public NDArray block(int index, NDArray x, Prologue prologue, TransformerInput in, BackwardTape tape) {
        return blocks.get(index).apply(x, prologue.modulation(), prologue.promptModulation(), in.context(), in.rope(),
                in.skipSelfAttentionIn().contains(index), tape);
    }

    /** The output layer: modulated LayerNorm and {@code proj_out}, velocities {@code [B, T, C]}. */
    public NDArray epilogue(NDArray x, NDArray embedded) {
        return Scopes.scoped(() -> {
            NDList shiftScale = embedded.expandDims(2).add(scaleShiftTable.getArray()).split(2, 2);
            NDArray normed = Functional.modulate(Functional.layerNorm(x, TransformerConfig.NORM_EPS),
                    shiftScale.get(0).squeeze(2), shiftScale.get(1).squeeze(2));
            return projOut.apply(normed);
        });
    }

    /** Velocity predictions {@code [B, T, C]} for every token, on one graph when grad mode is on. */
    public NDArray forward(TransformerInput in) {
        return forward(in, BackwardTape.none(kernel));
    }

    /**
     * Velocity predictions {@code [B, T, C]}; a recording tape cuts the graph after the prologue,
     * between blocks and at each attention, for its own backward pass.
     */
    public NDArray forward(TransformerInput in, BackwardTape tape) {
        Prologue prologue = prologue(in, tape);
        return epilogue(blocks(prologue.tokens(), prologue, in, tape), prologue.embedded());
    }

    /** {@link #prologue(TransformerInput)} with its outputs cut by {@code tape}. */
    public Prologue prologue(TransformerInput in, BackwardTape tape) {
        NDArray[] values = prologue(in).all();
        NDList cut = tape.cut(values);
        return new Prologue(cut.get(0), cut.get(1), cut.get(2), cut.get(3));
    }

    /**
     * Every block from {@code x} on, each in its own scope (its temporaries are freed when it returns)
     * and cut from the next by {@code tape}; the inputs this creates are closed once read unless the
     * tape keeps them.
     */
    public NDArray blocks(NDArray x, Prologue prologue, TransformerInput in, BackwardTape tape) {
        NDArray current = x;
        for (int i = 0; i < blocks.size(); i++) {
            NDArray input = current;
            int index = i;
            current = Tensors.keep(Scopes.scoped(() -> tape.cut(block(index, input, prologue, in, tape)).head()));
            if (input != x && !tape.recording()) {
                input.close();
            }
        }
        return current;
    }
}
