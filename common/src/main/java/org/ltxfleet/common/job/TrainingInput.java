package org.ltxfleet.common.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * A validated training request: every parameter of the seed endpoint
 * ({@code fal-ai/ltx23-trainer-v2/interpolate}) with its default applied and frame counts snapped
 * down to 8n+1. Build one only through {@link InputValidator}; its JSON form is the canonical
 * input that workers and the config file record.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrainingInput(
        String trainingDataUrl,
        String triggerPhrase,
        int rank,
        int numberOfSteps,
        double learningRate,
        boolean includeMiddleKeyframe,
        int numberOfFrames,
        int frameRate,
        Resolution resolution,
        AspectRatio aspectRatio,
        boolean autoScaleInput,
        boolean splitInputIntoScenes,
        double splitInputDurationThreshold,
        List<ValidationSample> validation,
        String validationNegativePrompt,
        int validationNumberOfFrames,
        int validationFrameRate,
        Resolution validationResolution,
        AspectRatio validationAspectRatio,
        double stgScale,
        boolean debugDataset) {

    /** LTX's own negative prompt for its samplers, used when the client gives none. */
    public static final String DEFAULT_NEGATIVE_PROMPT =
            "worst quality, inconsistent motion, blurry, jittery, distorted";

    /** Ranks the seed endpoint offers. */
    public static final List<Integer> RANKS = List.of(8, 16, 32, 64, 128);

    /** Training steps when the client names none (the seed endpoint's default). */
    public static final int DEFAULT_STEPS = 2000;

    /** Fewest and most frames the seed endpoint accepts for training and validation clips. */
    public static final int MIN_FRAMES = 9;
    public static final int MAX_FRAMES = 121;

    public TrainingInput {
        validation = List.copyOf(validation);
    }

    /** Training frame size. */
    @JsonIgnore
    public Bucket bucket() {
        return Bucket.of(resolution, aspectRatio);
    }

    /** Validation preview frame size. */
    @JsonIgnore
    public Bucket validationBucket() {
        return Bucket.of(validationResolution, validationAspectRatio);
    }

    /** Billable units of a completed job: {@code max(100, number_of_steps)} (seed endpoint's formula). */
    @JsonIgnore
    public int billableUnits() {
        return Math.max(100, numberOfSteps);
    }

    /** Snaps a frame count down to the nearest 8n+1, the LTX VAE's temporal grid. */
    public static int snapFrames(int frames) {
        return ((frames - 1) / 8) * 8 + 1;
    }
}
