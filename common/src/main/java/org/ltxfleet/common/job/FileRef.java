package org.ltxfleet.common.job;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A downloadable file in fal's output shape: {@code {url, content_type, file_name, file_size}}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record FileRef(String url, String contentType, String fileName, long fileSize) {
}
