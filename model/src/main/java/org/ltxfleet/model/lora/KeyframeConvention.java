package org.ltxfleet.model.lora;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ltxfleet.model.transformer.KeyframeLayout;

/**
 * The keyframe conventions a LoRA was trained with, as safetensors metadata strings, so a loader
 * (or a person) can tell whether its inference tool places keyframes the same way. Where a
 * single-frame keyframe sits in time changed across LTX tool versions (docs/ltx-2.3-architecture.md
 * §5): ltx-core up to 1.1.1 spanned pixel frame k as {@code [k, k+8)}, 1.1.2 (2026-04-23,
 * {@code b604d3f}) narrowed it to {@code [k, k+1)}; ComfyUI's LTXVAddGuide still spans
 * {@code [k, k+8)} in 0.15.0 and narrows single-frame guides after it (Comfy-Org/ComfyUI#12797).
 * We train with {@code [k, k+1)} ({@code RopePositions}).
 */
public final class KeyframeConvention {

    /** Where a one-frame keyframe latent of pixel frame k sits in RoPE time. */
    public static final String ROPE = "keyframe_rope";
    /** The first ltx-core / ltx-pipelines release placing one-frame keyframes as we train them. */
    public static final String MIN_LTX_CORE = "keyframe_min_ltx_core";
    /** The ComfyUI releases placing one-frame LTXVAddGuide keyframes as we train them. */
    public static final String MIN_COMFYUI = "keyframe_min_comfyui";
    /** The keyframe layouts training used, comma-separated: {@code appended}, {@code first-in-place}. */
    public static final String LAYOUTS = "keyframe_layouts";
    /** The share of training steps whose first keyframe was in place. */
    public static final String FIRST_IN_PLACE_SHARE = "keyframe_first_in_place_share";

    private KeyframeConvention() {
    }

    /** The metadata entries of a LoRA trained with {@code firstInPlaceShare} of its steps' first keyframe in place. */
    public static Map<String, String> metadata(double firstInPlaceShare) {
        var metadata = new LinkedHashMap<String, String>();
        metadata.put(ROPE, "[k, k+1)/fps for a one-frame keyframe of pixel frame k (frame 0 too)");
        metadata.put(MIN_LTX_CORE, "1.1.2");
        metadata.put(MIN_COMFYUI, ">0.15.0 (with Comfy-Org/ComfyUI#12797)");
        String appended = KeyframeLayout.APPENDED.label();
        String firstInPlace = KeyframeLayout.FIRST_IN_PLACE.label();
        String layouts = firstInPlaceShare == 0 ? appended
                : firstInPlaceShare == 1 ? firstInPlace : appended + "," + firstInPlace;
        metadata.put(LAYOUTS, layouts);
        metadata.put(FIRST_IN_PLACE_SHARE, Double.toString(firstInPlaceShare));
        return metadata;
    }
}
