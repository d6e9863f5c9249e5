package org.ltxfleet.common.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ltxfleet.common.json.Json;

/**
 * Checks a raw input object against every rule of the seed endpoint and builds a
 * {@link TrainingInput}. The gateway and the workers (for jobs produced straight to Kafka) use this
 * same class, so a bad job fails with the same 422 detail whichever way it came in. Stateless and
 * thread-safe.
 *
 * <p>Ranges beyond the seed's: {@code learning_rate} must be in (0, 0.01] (higher rates diverge
 * for LoRA with AdamW); strings are capped (URLs 2048, prompts 2000, trigger phrase 200 characters)
 * so one request cannot bloat every event of its job. Lengths count code points.
 *
 * <p>{@link #check} also returns the body reduced to the fields the endpoint reads: what a job
 * record carries, so a body padded with unknown fields (ignored, as fal ignores them) cannot make
 * the record too large for Kafka.
 */
public final class InputValidator {

    static final int MAX_VALIDATION_SAMPLES = 2;
    static final int MAX_PROMPT = 2000;
    static final int MAX_TRIGGER = 200;
    static final double MAX_LEARNING_RATE = 0.01;

    private static final List<String> RESOLUTIONS =
            Arrays.stream(Resolution.values()).map(Resolution::wireName).toList();
    private static final List<String> ASPECTS =
            Arrays.stream(AspectRatio.values()).map(AspectRatio::wireName).toList();

    /** A valid input and the body's known fields, as sent. */
    public record Checked(TrainingInput input, ObjectNode knownFields) {
    }

    /** Validates the body; throws {@link InvalidInputException} with every problem found. */
    public TrainingInput validate(JsonNode body) {
        return check(body).input();
    }

    /** Validates the body and keeps its known fields; throws {@link InvalidInputException} with every problem found. */
    public Checked check(JsonNode body) {
        var problems = new ArrayList<ValidationProblem>();
        if (body == null || body.isMissingNode() || body.isNull()) {
            throw new InvalidInputException(List.of(ValidationProblem.at(List.of(), "Field required", "missing")));
        }
        if (!body.isObject()) {
            throw new InvalidInputException(List.of(ValidationProblem.at(List.of(),
                    "Input should be a valid dictionary or object to extract fields from", "model_attributes_type")));
        }
        var in = new FieldReader(body, List.of(), problems);
        boolean middle = in.bool("include_middle_keyframe", false);
        var input = new TrainingInput(
                in.httpUrl("training_data_url", true),
                in.string("trigger_phrase", "", MAX_TRIGGER),
                in.integerOneOf("rank", 32, TrainingInput.RANKS),
                in.integer("number_of_steps", TrainingInput.DEFAULT_STEPS, 100, 20000),
                in.number("learning_rate", 2e-4, 0, true, MAX_LEARNING_RATE),
                middle,
                TrainingInput.snapFrames(in.integer("number_of_frames", 89,
                        TrainingInput.MIN_FRAMES, TrainingInput.MAX_FRAMES)),
                in.integer("frame_rate", 24, 8, 60),
                in.choice("resolution", Resolution.MEDIUM, Resolution::fromWire, RESOLUTIONS),
                in.choice("aspect_ratio", AspectRatio.SQUARE, AspectRatio::fromWire, ASPECTS),
                in.bool("auto_scale_input", false),
                in.bool("split_input_into_scenes", true),
                in.number("split_input_duration_threshold", 30.0, 1.0, false, 60.0),
                validationSamples(in, middle),
                in.string("validation_negative_prompt", TrainingInput.DEFAULT_NEGATIVE_PROMPT, MAX_PROMPT),
                TrainingInput.snapFrames(in.integer("validation_number_of_frames", 89,
                        TrainingInput.MIN_FRAMES, TrainingInput.MAX_FRAMES)),
                in.integer("validation_frame_rate", 24, 8, 60),
                in.choice("validation_resolution", Resolution.HIGH, Resolution::fromWire, RESOLUTIONS),
                in.choice("validation_aspect_ratio", AspectRatio.SQUARE, AspectRatio::fromWire, ASPECTS),
                in.number("stg_scale", 1.0, 0.0, false, 3.0),
                in.bool("debug_dataset", false));
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return new Checked(input, in.readFields());
    }

    private static List<ValidationSample> validationSamples(FieldReader in, boolean middleRequired) {
        JsonNode list = in.raw("validation");
        if (list == null) {
            return List.of();
        }
        if (!list.isArray()) {
            in.problem("validation", "Input should be a valid list", "list_type");
            return List.of();
        }
        if (list.size() > MAX_VALIDATION_SAMPLES) {
            in.problem("validation", "List should have at most " + MAX_VALIDATION_SAMPLES
                    + " items after validation, not " + list.size(), "too_long");
            return List.of();
        }
        var samples = new ArrayList<ValidationSample>();
        ArrayNode kept = Json.mapper().createArrayNode();
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            if (!item.isObject()) {
                in.problemAt(List.of("validation", i),
                        "Input should be a valid dictionary or object to extract fields from", "model_attributes_type");
                continue;
            }
            var sample = in.nested(item, "validation", i);
            var parsed = new ValidationSample(
                    sample.requiredString("prompt", MAX_PROMPT),
                    sample.httpUrl("start_image_url", true),
                    sample.httpUrl("end_image_url", true),
                    sample.httpUrl("middle_image_url", false));
            if (middleRequired && parsed.middleImageUrl() == null && sample.raw("middle_image_url") == null) {
                sample.problem("middle_image_url",
                        "Value error, middle_image_url is required when include_middle_keyframe is true", "value_error");
            }
            samples.add(parsed);
            kept.add(sample.readFields());
        }
        in.keep("validation", kept);
        return samples;
    }
}
