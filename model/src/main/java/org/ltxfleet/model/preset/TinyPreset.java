package org.ltxfleet.model.preset;

import java.nio.file.Path;
import java.util.Set;
import org.ltxfleet.model.base.TinyBase;
import org.ltxfleet.model.nn.WeightStorage;
import org.ltxfleet.model.sampling.GuidanceSettings;
import org.ltxfleet.model.text.HashedWordEncoder;
import org.ltxfleet.model.transformer.KeyframeLayout;
import org.ltxfleet.model.training.TrainingMemory;
import org.ltxfleet.model.transformer.TransformerConfig;
import org.ltxfleet.model.vae.TinyVae;
import org.ltxfleet.model.vae.VideoVae;

/**
 * The CPU preset of tests, the demo and the embedded stack: LTX-2.3's transformer at two narrow
 * blocks ({@link TransformerConfig#tiny()}), a fixed patch VAE, hashed-word text features and base
 * weights pre-trained here on generated clips. Its two blocks adapt too little through attention
 * alone, so its adapters cover the feed-forward layers too. Its base is float32 unless
 * {@code model.base.precision} says otherwise (the pre-trained weights are float32, not bf16).
 */
public record TinyPreset(Path modelDir, WeightStorage baseStorage) implements Preset {

    public static final String NAME = "tiny";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TransformerConfig transformer() {
        return TransformerConfig.tiny();
    }

    @Override
    public BaseWeights.Pretrained baseWeights() {
        return new BaseWeights.Pretrained(TinyBase.file(modelDir));
    }

    @Override
    public VideoVae vae() {
        return new TinyVae();
    }

    @Override
    public Encoders encoders() {
        return new Encoders(vae(), new HashedWordEncoder(transformer().hidden()));
    }

    /**
     * First and last keyframes in place: this small a model does not redraw appended keyframes (its
     * samples are noise there too, README "Models"), so the reel would not even show them.
     */
    @Override
    public KeyframeLayout previewLayout() {
        return KeyframeLayout.ENDS_IN_PLACE;
    }

    /**
     * No guidance: measured on the demo's held-out clip, CFG 3 and STG on tiny's second block cost its
     * v4 base 1.5 dB and a LoRA on it 2.2 dB of in-between PSNR, and gain nothing on wider bases
     * (docs/ltx-2.3-architecture.md §10); the guide terms amplify the difference of two poor clean
     * estimates. One model pass a step instead of three.
     */
    @Override
    public GuidanceSettings previewGuidance(double stgScale, long seed) {
        return new GuidanceSettings(transformer().samplingSteps(), 1, 0, Set.of(), 0, seed);
    }

    @Override
    public boolean feedForwardLoraByDefault() {
        return true;
    }

    /** One graph a step: a tiny step's activations are small, and recomputing them would cost a third more. */
    @Override
    public TrainingMemory trainingMemoryByDefault() {
        return TrainingMemory.plain();
    }
}
