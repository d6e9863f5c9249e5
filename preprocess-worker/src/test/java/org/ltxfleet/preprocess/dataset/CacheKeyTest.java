package org.ltxfleet.preprocess.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ltxfleet.common.job.InputValidator;
import org.ltxfleet.common.job.TrainingInput;
import org.ltxfleet.common.json.Json;

class CacheKeyTest {

    private static final PreprocessSettings SETTINGS = new PreprocessSettings(27, 0.5, 8, 2, org.ltxfleet.preprocess.video.DecodeLimits.DEFAULT,
            new DatasetCaps(1000, 1L << 30));

    private static TrainingInput input(String extra) {
        return new InputValidator().validate(Json.readTree(("{\"training_data_url\":\"https://e/x.zip\"" + extra + "}")
                .getBytes()));
    }

    private static String key(String extra) {
        return CacheKey.of("abc", input(extra), SETTINGS, "tiny-vae@1");
    }

    @Test
    void isStableAndIgnoresTrainingOnlyInputs() {
        assertThat(key("")).hasSize(64).isEqualTo(key(""));
        assertThat(key(",\"number_of_steps\":5000,\"rank\":8,\"learning_rate\":0.001,\"training_data_url\":\"https://o/y.zip\""))
                .isEqualTo(key(""));
    }

    @Test
    void changesWithEverythingThatChangesTheBundle() {
        String base = key("");
        assertThat(key(",\"number_of_frames\":49")).isNotEqualTo(base);
        assertThat(key(",\"frame_rate\":12")).isNotEqualTo(base);
        assertThat(key(",\"resolution\":\"low\"")).isNotEqualTo(base);
        assertThat(key(",\"trigger_phrase\":\"x\"")).isNotEqualTo(base);
        assertThat(key(",\"auto_scale_input\":true")).isNotEqualTo(base);
        assertThat(key(",\"include_middle_keyframe\":true")).isNotEqualTo(base);
        assertThat(CacheKey.of("abd", input(""), SETTINGS, "tiny-vae@1")).isNotEqualTo(base);
        assertThat(CacheKey.of("abc", input(""), SETTINGS, "tiny-vae@2")).isNotEqualTo(base);
        assertThat(CacheKey.of("abc", input(""), new PreprocessSettings(20, 0.5, 8, 2, org.ltxfleet.preprocess.video.DecodeLimits.DEFAULT,
            new DatasetCaps(1000, 1L << 30)), "tiny-vae@1"))
                .isNotEqualTo(base);
    }
}
