package org.ltxfleet.common.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One validation preview: keyframe images and a prompt, sampled during and after training.
 *
 * @param middleImageUrl null unless the job trains with a middle keyframe
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ValidationSample(String prompt, String startImageUrl, String endImageUrl, String middleImageUrl) {
}
