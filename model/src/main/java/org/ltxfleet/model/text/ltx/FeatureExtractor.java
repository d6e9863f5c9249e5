package org.ltxfleet.model.text.ltx;

import ai.djl.ndarray.NDArray;
import org.ltxfleet.model.nn.Functional;
import org.ltxfleet.model.nn.LoraLinear;
import org.ltxfleet.model.nn.Module;

/**
 * LTX-2.3's feature extractor V2 ({@code text_embedding_projection}): every Gemma hidden state of
 * every token is RMS-normalised on its own (no weight), the states are interleaved per feature
 * (flat index {@code d·states + l}, the column order of the projections), padded tokens are zeroed,
 * and each stream projects the flat vector, scaled by {@code sqrt(width / gemmaHidden)}, to its width.
 */
public final class FeatureExtractor extends Module {

    private final int gemmaHidden;
    private final int states;
    private final int videoWidth;
    private final int audioWidth;
    private final LoraLinear video;
    private final LoraLinear audio;

    /** Features of {@code states} Gemma hidden states (layers + 1) of width {@code gemmaHidden}. */
    public FeatureExtractor(int gemmaHidden, int states, int videoWidth, int audioWidth) {
        this.gemmaHidden = gemmaHidden;
        this.states = states;
        this.videoWidth = videoWidth;
        this.audioWidth = audioWidth;
        this.video = child("video_aggregate_embed", LoraLinear.of((long) gemmaHidden * states, videoWidth));
        this.audio = child("audio_aggregate_embed", LoraLinear.of((long) gemmaHidden * states, audioWidth));
    }

    /** The normalised, interleaved states and both streams' features. */
    public record Features(NDArray normedFlat, NDArray video, NDArray audio) {
    }

    /**
     * @param hiddenStates Gemma's states {@code [states, B, T, gemmaHidden]}
     * @param mask the tokenizer's mask {@code [B, T]} (1 real, 0 pad), float32
     */
    public Features apply(NDArray hiddenStates, NDArray mask) {
        long[] s = hiddenStates.getShape().getShape();
        if (s.length != 4 || s[0] != states || s[3] != gemmaHidden) {
            throw new IllegalArgumentException("expected hidden states [" + states + ", B, T, " + gemmaHidden
                    + "], got " + hiddenStates.getShape());
        }
        long batch = s[1];
        long tokens = s[2];
        NDArray normed = Functional.rmsNorm(hiddenStates, ConnectorConfig.NORM_EPS);
        NDArray flat = normed.transpose(1, 2, 3, 0).reshape(batch, tokens, gemmaHidden * (long) states)
                .mul(mask.reshape(batch, tokens, 1));
        return new Features(flat, project(video, flat, videoWidth), project(audio, flat, audioWidth));
    }

    private NDArray project(LoraLinear layer, NDArray flat, int width) {
        return layer.apply(flat.mul((float) Math.sqrt((double) width / gemmaHidden)));
    }
}
