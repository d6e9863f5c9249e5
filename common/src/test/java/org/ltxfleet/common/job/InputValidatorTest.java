package org.ltxfleet.common.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ltxfleet.common.json.Json;

class InputValidatorTest {

    private final InputValidator validator = new InputValidator();

    private static ObjectNode minimal() {
        return (ObjectNode) Json.readTree("{\"training_data_url\":\"https://example.com/clips.zip\"}".getBytes());
    }

    private static ObjectNode with(String json) {
        ObjectNode body = minimal();
        body.setAll((ObjectNode) Json.readTree(json.getBytes()));
        return body;
    }

    private List<ValidationProblem> problems(JsonNode body) {
        return catchThrowableOfType(InvalidInputException.class, () -> validator.validate(body)).problems();
    }

    private ValidationProblem onlyProblem(JsonNode body) {
        List<ValidationProblem> found = problems(body);
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    @Test
    void appliesTheSeedEndpointDefaults() {
        TrainingInput input = validator.validate(minimal());
        assertThat(input.triggerPhrase()).isEmpty();
        assertThat(input.rank()).isEqualTo(32);
        assertThat(input.numberOfSteps()).isEqualTo(2000);
        assertThat(input.learningRate()).isEqualTo(2e-4);
        assertThat(input.includeMiddleKeyframe()).isFalse();
        assertThat(input.numberOfFrames()).isEqualTo(89);
        assertThat(input.frameRate()).isEqualTo(24);
        assertThat(input.resolution()).isEqualTo(Resolution.MEDIUM);
        assertThat(input.aspectRatio()).isEqualTo(AspectRatio.SQUARE);
        assertThat(input.autoScaleInput()).isFalse();
        assertThat(input.splitInputIntoScenes()).isTrue();
        assertThat(input.splitInputDurationThreshold()).isEqualTo(30.0);
        assertThat(input.validation()).isEmpty();
        assertThat(input.validationNegativePrompt()).isEqualTo(TrainingInput.DEFAULT_NEGATIVE_PROMPT);
        assertThat(input.validationNumberOfFrames()).isEqualTo(89);
        assertThat(input.validationFrameRate()).isEqualTo(24);
        assertThat(input.validationResolution()).isEqualTo(Resolution.HIGH);
        assertThat(input.validationAspectRatio()).isEqualTo(AspectRatio.SQUARE);
        assertThat(input.stgScale()).isEqualTo(1.0);
        assertThat(input.debugDataset()).isFalse();
        assertThat(input.bucket()).isEqualTo(new Bucket(768, 768));
        assertThat(input.validationBucket()).isEqualTo(new Bucket(960, 960));
    }

    @Test
    void acceptsTheSpecExample() {
        TrainingInput input = validator.validate(with("""
                {"trigger_phrase":"","rank":32,"number_of_steps":2000,"learning_rate":0.0002,
                 "include_middle_keyframe":false,"number_of_frames":89,"frame_rate":24,"resolution":"medium",
                 "aspect_ratio":"1:1","validation":[{"prompt":"a flower blooming",
                 "start_image_url":"https://example.com/bud.png","end_image_url":"https://example.com/bloom.png"}]}
                """));
        assertThat(input.validation()).containsExactly(new ValidationSample("a flower blooming",
                "https://example.com/bud.png", "https://example.com/bloom.png", null));
    }

    @ParameterizedTest
    @CsvSource({"9,9", "10,9", "89,89", "96,89", "97,97", "100,97", "120,113", "121,121"})
    void snapsFrameCountsDownTo8nPlus1(int asked, int snapped) {
        TrainingInput input = validator.validate(with(
                "{\"number_of_frames\":" + asked + ",\"validation_number_of_frames\":" + asked + "}"));
        assertThat(input.numberOfFrames()).isEqualTo(snapped);
        assertThat(input.validationNumberOfFrames()).isEqualTo(snapped);
    }

    @Test
    void picksEveryBucketOfTheTable() {
        assertThat(Bucket.of(Resolution.LOW, AspectRatio.LANDSCAPE)).isEqualTo(new Bucket(512, 288));
        assertThat(Bucket.of(Resolution.LOW, AspectRatio.PORTRAIT)).isEqualTo(new Bucket(288, 512));
        assertThat(Bucket.of(Resolution.MEDIUM, AspectRatio.LANDSCAPE)).isEqualTo(new Bucket(768, 448));
        assertThat(Bucket.of(Resolution.HIGH, AspectRatio.PORTRAIT)).isEqualTo(new Bucket(544, 960));
        assertThat(Bucket.of(Resolution.HIGH, AspectRatio.SQUARE)).isEqualTo(new Bucket(960, 960));
    }

    @Test
    void requiresTrainingDataUrl() {
        ValidationProblem p = onlyProblem(Json.readTree("{}".getBytes()));
        assertThat(p.loc()).containsExactly("body", "training_data_url");
        assertThat(p.type()).isEqualTo("missing");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"training_data_url\":\"ftp://example.com/a.zip\"}|url_scheme",
            "{\"training_data_url\":\"file:///etc/passwd\"}|url_scheme",
            "{\"training_data_url\":\"not a url\"}|url_parsing",
            "{\"training_data_url\":\"https://\"}|url_parsing",
            "{\"training_data_url\":\"\"}|string_too_short",
            "{\"training_data_url\":42}|string_type"})
    void rejectsNonHttpTrainingDataUrls(String body, String type) {
        ValidationProblem p = onlyProblem(Json.readTree(body.getBytes()));
        assertThat(p.loc()).containsExactly("body", "training_data_url");
        assertThat(p.type()).isEqualTo(type);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "rank|12|literal_error",
            "rank|\"32\"|int_type",
            "rank|32.5|int_from_float",
            "number_of_steps|1e400|finite_number",
            "number_of_steps|99|greater_than_equal",
            "number_of_steps|20001|less_than_equal",
            "number_of_steps|99999999999999999999999|less_than_equal",
            "number_of_steps|true|int_type",
            "learning_rate|0|greater_than",
            "learning_rate|-0.1|greater_than",
            "learning_rate|0.5|less_than_equal",
            "learning_rate|\"fast\"|float_type",
            "include_middle_keyframe|\"yes\"|bool_type",
            "number_of_frames|8|greater_than_equal",
            "number_of_frames|122|less_than_equal",
            "frame_rate|7|greater_than_equal",
            "frame_rate|61|less_than_equal",
            "resolution|\"ultra\"|literal_error",
            "resolution|1|literal_error",
            "aspect_ratio|\"4:3\"|literal_error",
            "auto_scale_input|1|bool_type",
            "split_input_into_scenes|\"true\"|bool_type",
            "split_input_duration_threshold|0.5|greater_than_equal",
            "split_input_duration_threshold|60.5|less_than_equal",
            "validation|{}|list_type",
            "validation_negative_prompt|[]|string_type",
            "validation_number_of_frames|200|less_than_equal",
            "validation_frame_rate|100|less_than_equal",
            "validation_resolution|\"HIGH\"|literal_error",
            "validation_aspect_ratio|\"2:1\"|literal_error",
            "stg_scale|3.5|less_than_equal",
            "stg_scale|-1|greater_than_equal",
            "debug_dataset|\"no\"|bool_type",
            "trigger_phrase|7|string_type"})
    void rejectsEachInvalidFieldNamingIt(String field, String value, String type) {
        ValidationProblem p = onlyProblem(with("{\"" + field + "\":" + value + "}"));
        assertThat(p.loc()).containsExactly("body", field);
        assertThat(p.type()).isEqualTo(type);
        assertThat(p.msg()).isNotBlank();
    }

    @Test
    void explainsAllowedValues() {
        assertThat(onlyProblem(with("{\"rank\":12}")).msg()).isEqualTo("Input should be 8, 16, 32, 64 or 128");
        assertThat(onlyProblem(with("{\"resolution\":\"x\"}")).msg())
                .isEqualTo("Input should be 'low', 'medium' or 'high'");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        List<ValidationProblem> found = problems(Json.readTree("""
                {"rank":7,"number_of_steps":5,"resolution":"x","stg_scale":9}""".getBytes()));
        assertThat(found).extracting(p -> p.loc().get(1))
                .containsExactly("training_data_url", "rank", "number_of_steps", "resolution", "stg_scale");
    }

    @Test
    void capsValidationAtTwoEntries() {
        String entry = "{\"prompt\":\"p\",\"start_image_url\":\"https://a/s.png\",\"end_image_url\":\"https://a/e.png\"}";
        ValidationProblem p = onlyProblem(with("{\"validation\":[" + entry + "," + entry + "," + entry + "]}"));
        assertThat(p.loc()).containsExactly("body", "validation");
        assertThat(p.type()).isEqualTo("too_long");
    }

    @Test
    void namesNestedValidationFields() {
        List<ValidationProblem> found = problems(with("""
                {"validation":[{"prompt":"ok","start_image_url":"https://a/s.png","end_image_url":"https://a/e.png"},
                               {"start_image_url":"gopher://a/s.png","end_image_url":3}]}"""));
        assertThat(found).extracting(ValidationProblem::loc).containsExactly(
                List.of("body", "validation", 1, "prompt"),
                List.of("body", "validation", 1, "start_image_url"),
                List.of("body", "validation", 1, "end_image_url"));
        assertThat(found).extracting(ValidationProblem::type).containsExactly("missing", "url_scheme", "string_type");
    }

    @Test
    void rejectsNonObjectValidationEntries() {
        ValidationProblem p = onlyProblem(with("{\"validation\":[\"https://a/s.png\"]}"));
        assertThat(p.loc()).containsExactly("body", "validation", 0);
    }

    @Test
    void requiresMiddleImageWithMiddleKeyframe() {
        ValidationProblem p = onlyProblem(with("""
                {"include_middle_keyframe":true,
                 "validation":[{"prompt":"p","start_image_url":"https://a/s.png","end_image_url":"https://a/e.png"}]}"""));
        assertThat(p.loc()).containsExactly("body", "validation", 0, "middle_image_url");
        assertThat(p.type()).isEqualTo("value_error");
        assertThat(p.msg()).contains("include_middle_keyframe");
    }

    @Test
    void acceptsMiddleImageWithMiddleKeyframe() {
        TrainingInput input = validator.validate(with("""
                {"include_middle_keyframe":true,
                 "validation":[{"prompt":"p","start_image_url":"https://a/s.png","end_image_url":"https://a/e.png",
                 "middle_image_url":"https://a/m.png"}]}"""));
        assertThat(input.validation().get(0).middleImageUrl()).isEqualTo("https://a/m.png");
    }

    @Test
    void capsHugeStrings() {
        ValidationProblem p = onlyProblem(with("{\"trigger_phrase\":\"" + "x".repeat(10_000) + "\"}"));
        assertThat(p.loc()).containsExactly("body", "trigger_phrase");
        assertThat(p.type()).isEqualTo("string_too_long");
    }

    @Test
    void treatsNullOptionalFieldsAsDefaults() {
        TrainingInput input = validator.validate(with("{\"rank\":null,\"validation\":null}"));
        assertThat(input.rank()).isEqualTo(32);
        assertThat(input.validation()).isEmpty();
    }

    @Test
    void acceptsIntegralFloatsForIntegers() {
        assertThat(validator.validate(with("{\"rank\":64.0}")).rank()).isEqualTo(64);
    }

    @Test
    void rejectsNonObjectBodies() {
        assertThat(onlyProblem(Json.readTree("[1,2]".getBytes())).loc()).containsExactly("body");
        assertThatThrownBy(() -> validator.validate(null)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void serialisesWithWireNames() {
        JsonNode json = Json.toTree(validator.validate(minimal()));
        assertThat(json.get("resolution").asText()).isEqualTo("medium");
        assertThat(json.get("aspect_ratio").asText()).isEqualTo("1:1");
        assertThat(json.get("training_data_url").asText()).isEqualTo("https://example.com/clips.zip");
        assertThat(json.has("bucket")).isFalse();
    }

    @Test
    void billsAtLeastOneHundredUnits() {
        assertThat(validator.validate(with("{\"number_of_steps\":100}")).billableUnits()).isEqualTo(100);
        assertThat(validator.validate(with("{\"number_of_steps\":2500}")).billableUnits()).isEqualTo(2500);
    }

    @Test
    void refusesNullForEveryRequiredField() {
        ValidationProblem p = onlyProblem(Json.readTree("{\"training_data_url\":null}".getBytes()));
        assertThat(p.loc()).containsExactly("body", "training_data_url");
        assertThat(p.type()).isEqualTo("string_type");

        List<ValidationProblem> nested = problems(with(
                "{\"validation\":[{\"prompt\":null,\"start_image_url\":null,\"end_image_url\":null}]}"));
        assertThat(nested).extracting(ValidationProblem::loc).containsExactly(
                List.of("body", "validation", 0, "prompt"),
                List.of("body", "validation", 0, "start_image_url"),
                List.of("body", "validation", 0, "end_image_url"));
        assertThat(nested).extracting(ValidationProblem::type).containsOnly("string_type");
    }

    @ParameterizedTest
    @CsvSource({"http://203.0.113.10:99999/a.zip", "http://203.0.113.10:0/a.zip", "https://example.com:65536/a.zip",
            "http://example.com:99999999999/a.zip", "http://exa_mple.com/a.zip"})
    void refusesUrlsThatCannotBeConnectedTo(String url) {
        ValidationProblem top = onlyProblem(Json.readTree(("{\"training_data_url\":\"" + url + "\"}").getBytes()));
        assertThat(top.loc()).containsExactly("body", "training_data_url");
        assertThat(top.type()).isEqualTo("url_parsing");

        List<ValidationProblem> nested = problems(with("{\"include_middle_keyframe\":true,\"validation\":[{\"prompt\":\"p\","
                + "\"start_image_url\":\"" + url + "\",\"end_image_url\":\"" + url + "\",\"middle_image_url\":\"" + url + "\"}]}"));
        assertThat(nested).extracting(p -> p.loc().get(3))
                .containsExactly("start_image_url", "end_image_url", "middle_image_url");
        assertThat(nested).extracting(ValidationProblem::type).containsOnly("url_parsing");
    }

    @Test
    void acceptsExplicitPortsInRange() {
        assertThat(validator.validate(with("{\"training_data_url\":\"http://203.0.113.10:65535/a.zip\"}"))
                .trainingDataUrl()).isEqualTo("http://203.0.113.10:65535/a.zip");
    }

    @Test
    void countsLengthsInCodePointsAsPydanticDoes() {
        String emoji = "\uD83D\uDE00";
        assertThat(validator.validate(with("{\"trigger_phrase\":\"" + emoji.repeat(200) + "\"}")).triggerPhrase())
                .hasSize(400);
        ValidationProblem p = onlyProblem(with("{\"trigger_phrase\":\"" + emoji.repeat(201) + "\"}"));
        assertThat(p.type()).isEqualTo("string_too_long");
        String prompt = "{\"validation\":[{\"prompt\":\"" + emoji.repeat(InputValidator.MAX_PROMPT)
                + "\",\"start_image_url\":\"https://a/s.png\",\"end_image_url\":\"https://a/e.png\"}]}";
        assertThat(validator.validate(with(prompt)).validation()).hasSize(1);
    }

    @Test
    void keepsOnlyTheFieldsTheEndpointReads() {
        var checked = validator.check(with("""
                {"rank":16,"padding":"%s","validation":[{"prompt":"p","start_image_url":"https://a/s.png",
                 "end_image_url":"https://a/e.png","extra":[1,2,3]}]}""".formatted("x".repeat(100_000))));
        assertThat(checked.knownFields().toString()).doesNotContain("padding", "extra").hasSizeLessThan(300);
        assertThat(checked.knownFields().get("rank").asInt()).isEqualTo(16);
        assertThat(validator.validate(checked.knownFields())).isEqualTo(checked.input());
    }
}
