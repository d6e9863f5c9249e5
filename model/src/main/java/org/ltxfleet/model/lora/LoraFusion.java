package org.ltxfleet.model.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.Map;

/**
 * Folds adapters into their base weights, {@code W ← W + B·A}, as ltx-core's fuse_loras does before
 * inference (scale 1: no alpha), and zeroes B so that the adapter is not applied twice. The base
 * weights then hold the merged model, e.g. for {@code Weights.saveBase}.
 */
public final class LoraFusion {

    private LoraFusion() {
    }

    /** Fuses every adapter of {@code parameters} (checkpoint names); returns how many layers were fused. */
    public static int fuse(Map<String, Parameter> parameters) {
        int fused = 0;
        for (var entry : parameters.entrySet()) {
            if (!entry.getKey().endsWith(".lora_A")) {
                continue;
            }
            String layer = entry.getKey().substring(0, entry.getKey().length() - ".lora_A".length());
            Parameter weight = parameters.get(layer + ".weight");
            Parameter loraB = parameters.get(layer + ".lora_B");
            if (weight == null || loraB == null) {
                throw new IllegalArgumentException(layer + " has lora_A but no weight or lora_B");
            }
            try (NDArray delta = loraB.getArray().matMul(entry.getValue().getArray())) {
                weight.getArray().addi(delta);
            }
            loraB.getArray().set(new float[Math.toIntExact(loraB.getArray().size())]);
            fused++;
        }
        return fused;
    }
}
