package org.ltxfleet.preprocess.dataset;

import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import org.ltxfleet.common.job.TrainingInput;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.io.Sha256;

/**
 * The content address of a latent bundle ({@code datasets/{cache_key}/}): sha256 over the archive's
 * sha256, every input that changes what preprocessing produces, the preprocessing settings and
 * the encoders' versions. Training-only inputs (steps, rank, learning rate, validation) are left
 * out, so retraining the same data with other settings reuses the bundle.
 */
public final class CacheKey {

    private CacheKey() {
    }

    /** The key for this archive, input, settings and encoder versions. */
    public static String of(String archiveSha256, TrainingInput input, PreprocessSettings settings,
                            String encoderVersions) {
        var parts = new TreeMap<String, Object>();
        parts.put("archive_sha256", archiveSha256);
        parts.put("trigger_phrase", input.triggerPhrase());
        parts.put("include_middle_keyframe", input.includeMiddleKeyframe());
        parts.put("number_of_frames", input.numberOfFrames());
        parts.put("frame_rate", input.frameRate());
        parts.put("bucket", input.bucket().width() + "x" + input.bucket().height());
        parts.put("auto_scale_input", input.autoScaleInput());
        parts.put("split_input_into_scenes", input.splitInputIntoScenes());
        parts.put("split_input_duration_threshold", input.splitInputDurationThreshold());
        parts.put("scene_threshold", settings.sceneThreshold());
        parts.put("min_scene_seconds", settings.minSceneSeconds());
        parts.put("max_windows_per_clip", settings.maxWindowsPerClip());
        parts.put("max_clip_seconds", settings.decodeLimits().maxSeconds());
        parts.put("encoders", encoderVersions);
        parts.put("layout_version", 1);
        return Sha256.hex(Json.toString(parts).getBytes(StandardCharsets.UTF_8));
    }
}
