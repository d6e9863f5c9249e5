package org.ltxfleet.model.bench;

import org.ltxfleet.model.transformer.TransformerConfig;

/**
 * Floating-point operations of one keyframe-conditioned LoRA training step, counted from the
 * architecture (multiply-add = 2). Linear layers: forward 2·in·out per token, backward the same
 * again for the input gradient (frozen weights get no weight gradient; adapters are counted at
 * rank r). Attention core (QKᵀ and PV): forward 4·T²·D per block, backward twice that.
 * Element-wise work (norms, softmax, modulation) is left out, so the figure is a lower bound.
 */
public final class FlopCount {

    private FlopCount() {
    }

    public static double trainingStep(TransformerConfig config, long tokens, long textTokens, int rank) {
        double d = config.hidden();
        double ff = d * config.ffMultiplier();
        double perTokenLinear = 2 * (config.latentChannels() * d + d * config.latentChannels()); // patchify, proj_out
        perTokenLinear += 2 * 9 * d * d; // adaln_single.linear (token-wise modulation)
        double perBlockTokenLinear = 2 * (4 * d * d + d * config.heads()) // attn1 q,k,v,out + gate
                + 2 * (2 * d * d + d * config.heads()) // attn2 q, out + gate
                + 2 * (2 * d * ff) // feed-forward
                + 2 * 8 * rank * 2 * d; // adapters on 8 projections: down and up
        double contextLinear = 2 * 2 * d * d * textTokens; // attn2 k, v over the text
        double attention = 4.0 * tokens * tokens * d + 4.0 * tokens * textTokens * d;
        double forward = tokens * perTokenLinear
                + config.blocks() * (tokens * perBlockTokenLinear + contextLinear + attention);
        double backward = tokens * perTokenLinear
                + config.blocks() * (tokens * perBlockTokenLinear + contextLinear + 2 * attention);
        return forward + backward;
    }
}
