package org.ltxfleet.model.sampling;

import java.util.Set;

/**
 * How a preview is sampled: steps, classifier-free guidance against a negative prompt,
 * spatio-temporal guidance (a pass with self-attention skipped in {@code stgBlocks}), the
 * rescale that pulls the guided prediction's spread back towards the conditional one, and the
 * noise seed. LTX-2.3's defaults: CFG 3, STG 1 on block 28, rescale 0.7, 30 steps.
 */
public record GuidanceSettings(int steps, double cfgScale, double stgScale, Set<Integer> stgBlocks, double rescale,
                               long seed) {

    public GuidanceSettings {
        stgBlocks = Set.copyOf(stgBlocks);
    }
}
