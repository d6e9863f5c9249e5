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

    /**
     * FLOPs one block executes in a step with block checkpointing and recomputed attention: its
     * forward pass twice (without a graph, then with one) and its backward pass. Backward: frozen
     * projections of the video tokens give their input's gradient only (2·in·out a token); adapters
     * their input's and both weights' gradients; the text context needs no gradient, so its frozen k
     * and v projections run forward only and their adapters give weight gradients; attention
     * recomputes QKᵀ and runs four more products (dV, dP, dQ, dKᵀ): 2.5 × its forward.
     */
    public static double checkpointedBlock(TransformerConfig config, long tokens, long textTokens, int rank) {
        double d = config.hidden();
        double heads = config.heads();
        double ff = d * config.ffMultiplier();
        double frozenTokenLinear = 2 * (4 * d * d + d * heads) // attn1 q, k, v, out + gate
                + 2 * (2 * d * d + d * heads) // attn2 q, out + gate
                + 2 * (2 * d * ff); // feed-forward
        double adapter = 2 * 2 * rank * d; // down and up
        double contextLinear = 2 * 2 * d * d + 2 * adapter; // attn2 k, v with their adapters
        double attention = 4.0 * tokens * tokens * d + 4.0 * tokens * textTokens * d;
        double forward = tokens * (frozenTokenLinear + 6 * adapter) + textTokens * contextLinear + attention;
        double backward = tokens * (frozenTokenLinear + 6 * 2 * adapter) // input gradients; adapters: + weight gradients
                + textTokens * 2 * adapter * 3 / 2 // context adapters: dA, dB and the down output's gradient
                + 2.5 * attention;
        return 2 * forward + backward;
    }

    /**
     * FLOPs a whole checkpointed step executes: every block ({@link #checkpointedBlock}), plus the
     * prologue and output layer run once forward (nothing before the blocks trains; the output
     * layer's input gradient is 2·D·C a token).
     */
    public static double checkpointedStep(TransformerConfig config, long tokens, long textTokens, int rank) {
        double d = config.hidden();
        double c = config.latentChannels();
        double outside = tokens * (2 * c * d + 2 * config.adalnRows() * d * d + 2 * 2 * d * c);
        return config.blocks() * checkpointedBlock(config, tokens, textTokens, rank) + outside;
    }
}
