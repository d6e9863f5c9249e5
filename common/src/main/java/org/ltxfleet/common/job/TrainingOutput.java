package org.ltxfleet.common.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The result of a completed job, as the result endpoint and the webhook serve it. Absent files are
 * {@code null}, never left out: fal's clients read all four keys.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TrainingOutput(FileRef loraFile, FileRef configFile, FileRef video, FileRef debugDataset) {
}
