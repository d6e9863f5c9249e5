package org.ltxfleet.train;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.ltxfleet.model.latent.Latent;
import org.ltxfleet.model.latent.ValidationSet;
import org.ltxfleet.model.preset.Preset;
import org.ltxfleet.model.sampling.GuidanceSettings;
import org.ltxfleet.model.sampling.KeyframeSampler;
import org.ltxfleet.model.transformer.KeyframeLayout;
import org.ltxfleet.model.transformer.VideoTransformer;
import org.ltxfleet.model.vae.PixelVideo;
import org.ltxfleet.model.vae.VideoVae;

/**
 * Samples each validation entry between its keyframes with the model as it is now, as the preset
 * says ({@link Preset#previewLayout}, {@link Preset#previewGuidance} with the job's {@code stg_scale}),
 * a fixed seed per entry so previews at different steps differ only by training.
 */
final class Previews {

    private Previews() {
    }

    static List<PixelVideo> render(VideoTransformer model, Preset preset, ValidationSet validation, double stgScale,
                                   NDManager manager) throws IOException {
        VideoVae vae = preset.vae();
        KeyframeLayout layout = preset.previewLayout();
        var videos = new ArrayList<PixelVideo>();
        int latentFrames = 1 + (validation.frames() - 1) / VideoVae.TEMPORAL_FACTOR;
        int height = validation.height() / VideoVae.SPATIAL_FACTOR;
        int width = validation.width() / VideoVae.SPATIAL_FACTOR;
        for (int i = 0; i < validation.entries().size(); i++) {
            ValidationSet.Entry entry = validation.entries().get(i);
            GuidanceSettings settings = preset.previewGuidance(stgScale, Preset.PREVIEW_SEED + i);
            Latent latent = KeyframeSampler.sample(model, latentFrames, height, width, entry.keyframes(),
                    layout, entry.promptFeatures(), validation.negative(), validation.fps(),
                    settings, manager);
            videos.add(vae.decode(latent));
        }
        return videos;
    }
}
