package org.ltxfleet.model.transformer;

import java.util.List;

/**
 * Which layers get a LoRA adapter and of what rank. LTX's trainer adapts {@code to_q},
 * {@code to_k}, {@code to_v} and {@code to_out.0} of every attention; the feed-forward
 * ({@code ff.net.0.proj}, {@code ff.net.2}) is optional. Alpha equals the rank, so the adapter's
 * scale is 1 and loaders that ignore alpha (ltx-core) or default it to the rank (ComfyUI) agree.
 */
public record LoraSpec(int rank, boolean feedForward) {

    /**
     * Any rank ≥ 0: files from other trainers have their own (the API's choice of ranks is
     * checked where jobs are validated, {@code TrainingInput.RANKS}).
     */
    public LoraSpec {
        if (rank < 0) {
            throw new IllegalArgumentException("a LoRA rank must be positive (0: no adapters), got " + rank);
        }
    }

    /** No adapters: the base model alone. */
    public static LoraSpec none() {
        return new LoraSpec(0, false);
    }

    /** Attention adapters of {@code rank}. */
    public static LoraSpec attention(int rank) {
        return new LoraSpec(rank, false);
    }

    /** The adapted layers, by the names LTX's trainer and PEFT use for target modules. */
    public List<String> targetModules() {
        return feedForward ? List.of("to_q", "to_k", "to_v", "to_out.0", "ff.net.0.proj", "ff.net.2")
                : List.of("to_q", "to_k", "to_v", "to_out.0");
    }

    /** The rank the feed-forward layers get (0 when they are not adapted). */
    public int feedForwardRank() {
        return feedForward ? rank : 0;
    }
}
