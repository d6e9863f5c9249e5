package org.ltxfleet.gateway.projection;

import java.time.Instant;

/** One entry of a job's logs, in fal's shape ({@code source} is always USER). */
public record LogLine(String message, String level, Instant timestamp) {
}
