package org.ltxfleet.model;

import ai.djl.ndarray.NDManager;
import org.ltxfleet.model.base.PatternClips;
import org.ltxfleet.model.latent.TrainingExample;
import org.ltxfleet.model.text.HashedWordEncoder;
import org.ltxfleet.model.training.ExampleEncoder;
import org.ltxfleet.model.transformer.LoraSpec;
import org.ltxfleet.model.transformer.TransformerConfig;
import org.ltxfleet.model.transformer.VideoTransformer;
import org.ltxfleet.model.transformer.Weights;
import org.ltxfleet.model.vae.TinyVae;

/** Small models and examples for fast tests. */
public final class TinyFixtures {

    /** The tiny preset's architecture at half its width: these tests check mechanics, not quality, at half the cost. */
    public static final TransformerConfig CONFIG = TransformerConfig.tiny().withHeads(2, 64);

    private TinyFixtures() {
    }

    /** A seeded tiny model with {@code lora}, its parameters in {@code manager}. */
    public static VideoTransformer model(LoraSpec lora, long seed, NDManager manager) {
        var model = new VideoTransformer(CONFIG, lora);
        Weights.initialize(model, manager, seed);
        return model;
    }

    /** Pattern clip {@code index} (33 frames of 128 × 96) encoded with first and last keyframes. */
    public static TrainingExample example(int index, boolean middleKeyframe) {
        var clip = PatternClips.clip(7, index, 33, 96, 128);
        return encoder().encode(clip.video(), clip.caption(), middleKeyframe, 24);
    }

    public static ExampleEncoder encoder() {
        return new ExampleEncoder(new TinyVae(), new HashedWordEncoder(CONFIG.hidden()));
    }
}
