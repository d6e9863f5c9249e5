package org.ltxfleet.model.transformer;

import java.util.Locale;

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
 * @param previewLayout how validation reels and {@code ./fleet eval} lay out keyframes by default
 */
public record TransformerConfig(String name, int blocks, int heads, int headDim, int latentChannels,
                                int ffMultiplier, boolean gatedAttention, boolean crossAttentionAdaln,
                                int stgBlock, int samplingSteps, KeyframeLayout previewLayout) {

    /** Sinusoid width of the timestep embedding. */
    public static final int TIMESTEP_CHANNELS = 256;
    public static final double ROPE_THETA = 10_000;
    /** RoPE normalisation bounds: seconds, pixels, pixels. */
    public static final double[] ROPE_MAX_POSITIONS = {20, 2048, 2048};
    public static final float NORM_EPS = 1e-6f;

    /**
     * The LTX-2.3 video stream: 48 blocks of 32 × 128, 128 latent channels; STG on block 28, 30 steps;
     * previews append their keyframes, as LTX's keyframe-interpolation pipeline does.
     */
    public static TransformerConfig ltx23() {
        return new TransformerConfig("ltx-2.3", 48, 32, 128, 128, 4, true, true, 28, 30, KeyframeLayout.APPENDED);
    }

    /**
     * The CPU preset: the same architecture (gated attention, cross-attention AdaLN, 128 latent
     * channels, so it reads the same latent bundles) at 2 blocks of 2 × 64; STG on block 1; 8
     * sampling steps. Two wide heads beat more, narrower ones on a CPU: the softmax over T² scores
     * per head dominates a step at thousands of tokens. Previews put the first and last keyframes in
     * place: this small a model does not redraw its appended keyframes (its samples are noise there
     * too, README "Models").
     */
    public static TransformerConfig tiny() {
        return new TransformerConfig("tiny", 2, 2, 64, 128, 4, true, true, 1, 8, KeyframeLayout.ENDS_IN_PLACE);
    }

    /** A preset by name. */
    public static TransformerConfig preset(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "ltx-2.3" -> ltx23();
            case "tiny" -> tiny();
            default -> throw new IllegalArgumentException("unknown model preset '" + name + "' (known: tiny, ltx-2.3)");
        };
    }

    /** The same widths with {@code count} blocks (tests of real-width loading at a few blocks). */
    public TransformerConfig withBlocks(int count) {
        return new TransformerConfig(name, count, heads, headDim, latentChannels, ffMultiplier, gatedAttention,
                crossAttentionAdaln, Math.min(stgBlock, count - 1), samplingSteps, previewLayout);
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
