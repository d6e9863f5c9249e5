package org.ltxfleet.model.text.gemma;

import ai.djl.ndarray.NDArray;
import org.ltxfleet.model.nn.Functional;
import org.ltxfleet.model.nn.LoraLinear;
import org.ltxfleet.model.nn.Module;

/** Gemma's gated MLP ({@code mlp}): {@code down_proj(gelu_tanh(gate_proj(x)) ⊙ up_proj(x))}. */
final class GemmaMlp extends Module {

    private final LoraLinear gate;
    private final LoraLinear up;
    private final LoraLinear down;

    GemmaMlp(Gemma3Config config) {
        this.gate = child("gate_proj", LoraLinear.withoutBias(config.hidden(), config.intermediate()));
        this.up = child("up_proj", LoraLinear.withoutBias(config.hidden(), config.intermediate()));
        this.down = child("down_proj", LoraLinear.withoutBias(config.intermediate(), config.hidden()));
    }

    NDArray apply(NDArray x) {
        return down.apply(Functional.geluTanh(gate.apply(x)).mul(up.apply(x)));
    }
}
