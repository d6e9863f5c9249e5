package org.ltxfleet.model.text.gemma;

/** Gemma-3's two attention layer kinds, named as transformers' {@code layer_types} spells them. */
public enum LayerType {
    /** Local: keys at most {@code sliding_window − 1} tokens back, local RoPE base. */
    SLIDING_ATTENTION("sliding_attention"),
    /** Global: every earlier key, global RoPE base with linear scaling. */
    FULL_ATTENTION("full_attention");

    private final String configName;

    LayerType(String configName) {
        this.configName = configName;
    }

    /** The name in a config's {@code layer_types} and {@code rope_parameters}. */
    public String configName() {
        return configName;
    }

    /** The type a config names {@code name}. */
    public static LayerType named(String name) {
        for (LayerType type : values()) {
            if (type.configName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown Gemma-3 layer type " + name);
    }
}
