package org.ltxfleet.model.transformer;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ltxfleet.model.latent.Keyframe;

/**
 * Where keyframes enter the token sequence (docs/ltx-2.3-architecture.md §5). An appended keyframe
 * is extra clean tokens at its own frame's RoPE position; a keyframe in place replaces the tokens of
 * the latent frame that holds its pixel frame, clean at timestep 0, out of the loss, and restored
 * after every sampling step (LTX's {@code post_process_latent}).
 */
public enum KeyframeLayout {

    /** Every keyframe appended: LTX's keyframe-interpolation pipeline (ltx-pipelines, ComfyUI's LTXVAddGuide). */
    APPENDED,
    /**
     * The keyframe at pixel frame 0 in place, the others appended: how image-to-video graphs put a
     * start image (ltx-pipelines' regular pipelines, ComfyUI's LTXVImgToVideo). Exact for any causal
     * VAE: its first latent frame encodes pixel frame 0 alone.
     */
    FIRST_IN_PLACE,
    /**
     * The first keyframe in place, and the last one in place over the latent frame holding its pixel
     * frame; any middle one appended. That latent frame spans 8 pixel frames, which then all show the
     * last image: for a model that cannot draw its keyframes itself (tiny), so a reel shows them.
     */
    ENDS_IN_PLACE;

    private static final Comparator<Keyframe> BY_FRAME = Comparator.comparingInt(Keyframe::pixelFrame);

    /** The name used in settings and on the command line: {@code appended}, {@code first-in-place}, {@code ends-in-place}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The layout with this {@link #label()}. */
    public static KeyframeLayout of(String label) {
        for (KeyframeLayout layout : values()) {
            if (layout.label().equals(label.trim().toLowerCase(Locale.ROOT))) {
                return layout;
            }
        }
        throw new IllegalArgumentException("unknown keyframe layout '" + label
                + "' (known: appended, first-in-place, ends-in-place)");
    }

    /** The keyframes this layout puts in place, by the latent frame each replaces, of a latent {@code frames} long. */
    public Map<Integer, Keyframe> inPlace(List<Keyframe> keyframes, int frames) {
        var placed = new LinkedHashMap<Integer, Keyframe>();
        if (this == APPENDED || keyframes.isEmpty()) {
            return placed;
        }
        Keyframe first = Collections.min(keyframes, BY_FRAME);
        if (first.pixelFrame() == 0) {
            placed.put(0, first);
        }
        if (this == ENDS_IN_PLACE) {
            Keyframe last = Collections.max(keyframes, BY_FRAME);
            int frame = latentFrameOf(last.pixelFrame());
            if (last != first && frame < frames) {
                placed.put(frame, last);
            }
        }
        return placed;
    }

    /** The causal VAE's latent frame holding pixel frame {@code pixel}: 0 alone, then 8 frames each. */
    static int latentFrameOf(int pixel) {
        return pixel == 0 ? 0 : (pixel - 1) / RopePositions.TEMPORAL_FACTOR + 1;
    }
}
