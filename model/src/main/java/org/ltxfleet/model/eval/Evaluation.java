package org.ltxfleet.model.eval;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.ltxfleet.model.latent.Latent;
import org.ltxfleet.model.latent.TextFeatures;
import org.ltxfleet.model.latent.TrainingExample;
import org.ltxfleet.model.nn.GradMode;
import org.ltxfleet.model.nn.Noise;
import org.ltxfleet.model.sampling.GuidanceSettings;
import org.ltxfleet.model.sampling.KeyframeSampler;
import org.ltxfleet.model.training.KeyframeObjective;
import org.ltxfleet.model.transformer.KeyframeLayout;
import org.ltxfleet.model.transformer.VideoTransformer;
import org.ltxfleet.model.vae.PixelVideo;
import org.ltxfleet.model.vae.VideoVae;

/**
 * How well a model interpolates held-out windows: the flow-matching loss at fixed σ and fixed
 * noise that training never draws (seeds from a separate range), and the frames sampled between the
 * real first and last frames, to be compared with the real in-between frames beside a plain
 * cross-fade between the same two frames.
 */
public final class Evaluation {

    /** σ levels of the held-out loss, spread over the range training samples. */
    static final double[] SIGMAS = {0.1, 0.3, 0.5, 0.7, 0.9};
    /** Noise seeds of the held-out loss; training seeds its draws from (job seed, step). */
    static final long NOISE_SEED = 0x5EED_0E7A1L;

    private Evaluation() {
    }

    /** Mean masked flow-matching loss over the examples at the fixed σ levels and noise, keyframes laid out by {@code layout}. */
    public static double heldOutLoss(VideoTransformer model, List<TrainingExample> examples, KeyframeLayout layout,
                                     NDManager manager) {
        double total = 0;
        int count = 0;
        for (int e = 0; e < examples.size(); e++) {
            TrainingExample example = examples.get(e);
            for (int s = 0; s < SIGMAS.length; s++) {
                float[] noise = Noise.gaussian(NOISE_SEED + 1000L * e + s, example.video().tokens() * example.video().channels());
                try (NDManager step = manager.newSubManager(); GradMode off = GradMode.off()) {
                    var prepared = KeyframeObjective.prepare(model, example, layout, SIGMAS[s], noise, step);
                    total += KeyframeObjective.loss(model, prepared).getFloat();
                    count++;
                }
            }
        }
        return total / count;
    }

    /** A keyframe-conditioned sample of the example's window between its keyframes, decoded. */
    public static PixelVideo interpolate(VideoTransformer model, VideoVae vae, TrainingExample example,
                                         KeyframeLayout layout, TextFeatures negative, GuidanceSettings settings,
                                         NDManager manager) {
        Latent video = example.video();
        Latent sampled = KeyframeSampler.sample(model, video.frames(), video.height(), video.width(),
                example.keyframes(), layout, example.caption(), negative, example.fps(), settings, manager);
        return vae.decode(sampled);
    }

    /** A linear cross-fade from the first to the last real frame, as long as the real window. */
    public static PixelVideo crossFade(PixelVideo truth) {
        int n = truth.frameCount();
        byte[] first = truth.frames()[0];
        byte[] last = truth.frames()[n - 1];
        byte[][] frames = new byte[n][];
        for (int f = 0; f < n; f++) {
            double t = n == 1 ? 0 : f / (double) (n - 1);
            byte[] frame = new byte[first.length];
            for (int i = 0; i < frame.length; i++) {
                frame[i] = (byte) Math.round((first[i] & 0xFF) * (1 - t) + (last[i] & 0xFF) * t);
            }
            frames[f] = frame;
        }
        return new PixelVideo(truth.height(), truth.width(), frames);
    }
}
