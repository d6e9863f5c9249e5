package org.ltxfleet.train;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ltxfleet.model.latent.Latent;
import org.ltxfleet.model.latent.ValidationSet;
import org.ltxfleet.model.sampling.GuidanceSettings;
import org.ltxfleet.model.sampling.KeyframeSampler;
import org.ltxfleet.model.transformer.KeyframeLayout;
import org.ltxfleet.model.transformer.VideoTransformer;
import org.ltxfleet.model.vae.PixelVideo;
import org.ltxfleet.model.vae.VideoVae;

/**
 * Samples each validation entry between its keyframes with the model as it is now: the preset's
 * sampling steps (tiny: 8, ltx-2.3: 30) and keyframe layout (tiny: first and last in place,
 * ltx-2.3: appended), CFG 3 against the negative prompt, the job's {@code stg_scale} on the
 * preset's STG block, rescale 0.7, a fixed seed per entry so previews at different steps differ
 * only by training.
 */
final class Previews {

    static final double CFG_SCALE = 3.0;
    static final double RESCALE = 0.7;

    private Previews() {
    }

    static List<PixelVideo> render(VideoTransformer model, VideoVae vae, KeyframeLayout layout, ValidationSet validation,
                                   double stgScale, NDManager manager) {
        var videos = new ArrayList<PixelVideo>();
        int latentFrames = 1 + (validation.frames() - 1) / VideoVae.TEMPORAL_FACTOR;
        int height = validation.height() / VideoVae.SPATIAL_FACTOR;
        int width = validation.width() / VideoVae.SPATIAL_FACTOR;
        for (int i = 0; i < validation.entries().size(); i++) {
            ValidationSet.Entry entry = validation.entries().get(i);
            var settings = new GuidanceSettings(model.config().samplingSteps(), CFG_SCALE, stgScale,
                    Set.of(model.config().stgBlock()), RESCALE, 1000 + i);
            Latent latent = KeyframeSampler.sample(model, latentFrames, height, width, entry.keyframes(),
                    layout, entry.promptFeatures(), validation.negative(), validation.fps(),
                    settings, manager);
            videos.add(vae.decode(latent));
        }
        return videos;
    }
}
