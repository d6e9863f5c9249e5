package org.ltxfleet.model.bench;

import org.ltxfleet.model.transformer.LoraSpec;
import org.ltxfleet.model.transformer.TransformerConfig;

/**
 * Parameters of the LTX video transformer counted from its widths alone, layer by layer as
 * docs/ltx-2.3-architecture.md §2 lists them; nothing is built or allocated, so a plan for a model
 * that does not fit this machine can still be computed. {@code ParameterCountTest} holds these
 * formulas to the real {@code VideoTransformer}'s declared shapes.
 */
public final class ParameterCount {

    private ParameterCount() {
    }

    /** The frozen base: every block, the AdaLN embedders, patchify and output projections. */
    public static long base(TransformerConfig config) {
        long width = config.hidden();
        long globals = linear(config.latentChannels(), width)
                + adaln(width, config.adalnRows())
                + (config.crossAttentionAdaln() ? adaln(width, 2) : 0)
                + 2 * width // scale_shift_table
                + linear(width, config.latentChannels());
        return config.blocks() * block(config) + globals;
    }

    /** The adapters' weights: {@code rank × (in + out)} per adapted projection. */
    public static long adapters(TransformerConfig config, LoraSpec lora) {
        long width = config.hidden();
        long inner = width * config.ffMultiplier();
        // to_q, to_k, to_v, to_out.0 of both attentions are square.
        long perBlock = 2L * 4 * lora.rank() * (width + width)
                + 2L * lora.feedForwardRank() * (width + inner);
        return config.blocks() * perBlock;
    }

    /** One block's parameters. */
    static long block(TransformerConfig config) {
        long width = config.hidden();
        long inner = width * config.ffMultiplier();
        long attention = 4 * linear(width, width)
                + 2 * width // q_norm, k_norm
                + (config.gatedAttention() ? linear(width, config.heads()) : 0);
        long feedForward = linear(width, inner) + linear(inner, width);
        long tables = config.adalnRows() * width + (config.crossAttentionAdaln() ? 2 * width : 0);
        return 2 * attention + feedForward + tables;
    }

    /** adaln_single: timestep sinusoid → width → width → rows × width. */
    private static long adaln(long width, int rows) {
        return linear(TransformerConfig.TIMESTEP_CHANNELS, width) + linear(width, width) + linear(width, rows * width);
    }

    private static long linear(long in, long out) {
        return in * out + out;
    }
}
