package org.ltxfleet.model.transformer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.ltxfleet.common.json.Json;

/**
 * The widths of an LTX-style video transformer. {@code ltx-2.3} is the real video stream
 * (docs/ltx-2.3-architecture.md §1); {@code tiny} is the same code at widths a CPU trains in
 * well under a second per step, for tests, the demo and the embedded stack.
 *
 * @param name preset name
 * @param blocks number of transformer blocks
 * @param heads attention heads
 * @param headDim width of one head
 * @param latentChannels VAE latent channels (the transformer's input and output width)
 * @param ffMultiplier feed-forward inner width as a multiple of the hidden width
 * @param gatedAttention per-head output gates {@code 2·sigmoid(to_gate_logits(x))} (2.3)
 * @param crossAttentionAdaln modulated cross-attention and {@code prompt_adaln_single} (2.3)
 * @param stgBlock the block whose self-attention spatio-temporal guidance skips (0-based)
 * @param samplingSteps the sampler's default number of steps
 */
public record TransformerConfig(String name, int blocks, int heads, int headDim, int latentChannels,
                                int ffMultiplier, boolean gatedAttention, boolean crossAttentionAdaln,
                                int stgBlock, int samplingSteps) {

    /** Sinusoid width of the timestep embedding. */
    public static final int TIMESTEP_CHANNELS = 256;
    public static final double ROPE_THETA = 10_000;
    /** RoPE normalisation bounds: seconds, pixels, pixels. */
    public static final double[] ROPE_MAX_POSITIONS = {20, 2048, 2048};
    public static final float NORM_EPS = 1e-6f;

    /** The LTX-2.3 video stream: 48 blocks of 32 × 128, 128 latent channels; STG on block 28, 30 steps. */
    public static TransformerConfig ltx23() {
        return new TransformerConfig("ltx-2.3", 48, 32, 128, 128, 4, true, true, 28, 30);
    }

    /**
     * The CPU preset: the same architecture (gated attention, cross-attention AdaLN, 128 latent
     * channels, so it reads the same latent bundles) at 2 blocks of 2 × 128; STG on block 1; 8
     * sampling steps. Two wide heads beat more, narrower ones on a CPU: the softmax over T² scores
     * per head dominates a step at thousands of tokens. 256 wide, twice the latent channels: at 128
     * the residual stream had to carry the noisy input and the picture in the same 128 numbers, and
     * the in-between frames came out as snow (docs/ltx-2.3-architecture.md §10).
     */
    public static TransformerConfig tiny() {
        return ltx23().withName("tiny").withBlocks(2).withHeads(2, 128).withSamplingSteps(8);
    }

    /**
     * LTX-2.3's architecture at the widths a checkpoint's {@code config} metadata gives in its
     * {@code transformer} section (the real release and reduced test checkpoints carry one).
     * Variants this port does not compute are refused by name rather than run wrongly.
     */
    public static TransformerConfig fromCheckpointMetadata(String configJson) {
        JsonNode section = Json.readTree(configJson.getBytes(StandardCharsets.UTF_8)).path("transformer");
        if (section.isMissingNode()) {
            throw new IllegalArgumentException("the checkpoint's config has no 'transformer' section");
        }
        var base = ltx23();
        var config = base.withBlocks(section.path("num_layers").asInt(base.blocks()))
                .withHeads(section.path("num_attention_heads").asInt(base.heads()),
                        section.path("attention_head_dim").asInt(base.headDim()))
                .withLatentChannels(section.path("in_channels").asInt(base.latentChannels()))
                .withGatedAttention(section.path("apply_gated_attention").asBoolean(base.gatedAttention()))
                .withCrossAttentionAdaln(section.path("cross_attention_adaln").asBoolean(base.crossAttentionAdaln()));
        int outChannels = section.path("out_channels").asInt(config.latentChannels());
        int contextWidth = section.path("cross_attention_dim").asInt(config.hidden());
        if (outChannels != config.latentChannels()) {
            throw new IllegalArgumentException("the checkpoint's transformer reads " + config.latentChannels()
                    + " latent channels and writes " + outChannels + "; this port needs them equal");
        }
        if (contextWidth != config.hidden()) {
            throw new IllegalArgumentException("the checkpoint's cross_attention_dim " + contextWidth + " differs from its "
                    + "hidden width " + config.hidden() + " (an LTX-2.0-style caption projection), which this port does not compute");
        }
        return config;
    }

    /** This config as a checkpoint's {@code config.transformer} metadata section, as {@link #fromCheckpointMetadata} reads it. */
    public ObjectNode toCheckpointMetadata() {
        return Json.object().put("num_layers", blocks).put("num_attention_heads", heads).put("attention_head_dim", headDim)
                .put("in_channels", latentChannels).put("out_channels", latentChannels).put("cross_attention_dim", hidden())
                .put("apply_gated_attention", gatedAttention).put("cross_attention_adaln", crossAttentionAdaln)
                .put("caption_proj_before_connector", true);
    }

    public TransformerConfig withName(String value) {
        return new TransformerConfig(value, blocks, heads, headDim, latentChannels, ffMultiplier, gatedAttention,
                crossAttentionAdaln, stgBlock, samplingSteps);
    }

    /** The same widths with {@code count} blocks; STG moves to the last block if its own is gone. */
    public TransformerConfig withBlocks(int count) {
        return new TransformerConfig(name, count, heads, headDim, latentChannels, ffMultiplier, gatedAttention,
                crossAttentionAdaln, Math.min(stgBlock, count - 1), samplingSteps);
    }

    public TransformerConfig withHeads(int count, int width) {
        return new TransformerConfig(name, blocks, count, width, latentChannels, ffMultiplier, gatedAttention,
                crossAttentionAdaln, stgBlock, samplingSteps);
    }

    public TransformerConfig withLatentChannels(int channels) {
        return new TransformerConfig(name, blocks, heads, headDim, channels, ffMultiplier, gatedAttention,
                crossAttentionAdaln, stgBlock, samplingSteps);
    }

    public TransformerConfig withGatedAttention(boolean on) {
        return new TransformerConfig(name, blocks, heads, headDim, latentChannels, ffMultiplier, on,
                crossAttentionAdaln, stgBlock, samplingSteps);
    }

    public TransformerConfig withCrossAttentionAdaln(boolean on) {
        return new TransformerConfig(name, blocks, heads, headDim, latentChannels, ffMultiplier, gatedAttention,
                on, stgBlock, samplingSteps);
    }

    public TransformerConfig withStgBlock(int block) {
        return new TransformerConfig(name, blocks, heads, headDim, latentChannels, ffMultiplier, gatedAttention,
                crossAttentionAdaln, block, samplingSteps);
    }

    public TransformerConfig withSamplingSteps(int steps) {
        return new TransformerConfig(name, blocks, heads, headDim, latentChannels, ffMultiplier, gatedAttention,
                crossAttentionAdaln, stgBlock, steps);
    }

    /** Hidden width: heads × head width. */
    public int hidden() {
        return heads * headDim;
    }

    /** Rows of each block's AdaLN table: 9 with modulated cross-attention, 6 without. */
    public int adalnRows() {
        return crossAttentionAdaln ? 9 : 6;
    }
}
