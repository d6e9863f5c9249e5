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

    /** In words, e.g. "8 Euler steps, CFG 3, STG 1 on block 1, rescale 0.7, seed 1000". */
    public String describe() {
        var text = new StringBuilder().append(steps).append(" Euler steps");
        if (cfgScale == 1 && (stgScale == 0 || stgBlocks.isEmpty())) {
            text.append(", no guidance");
        } else {
            text.append(", CFG ").append(number(cfgScale));
            if (stgScale != 0 && !stgBlocks.isEmpty()) {
                text.append(", STG ").append(number(stgScale)).append(" on block")
                        .append(stgBlocks.size() == 1 ? " " : "s ")
                        .append(stgBlocks.stream().sorted().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
            }
            text.append(", rescale ").append(number(rescale));
        }
        return text.append(", seed ").append(seed).toString();
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
