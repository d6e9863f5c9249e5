package org.ltxfleet.gateway.submit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.ltxfleet.gateway.projection.JobProjection;

/**
 * Whether a submit with an {@code Idempotency-Key} repeats the key's first submission. Every part
 * of the request that shapes the job counts: the body, and the {@code fal_webhook}, queue priority
 * and start timeout, so a replay can never quietly drop a webhook it asked for; only the first
 * submission's values are ever used.
 */
final class IdempotentReplay {

    /** The request options a replay must repeat, as the job records them. */
    record Options(String webhookUrl, String priority, Duration startTimeout) {
    }

    private IdempotentReplay() {
    }

    /**
     * What differs between the first submission and this one, in the words of the API (the body,
     * {@code fal_webhook}, …); empty for a true replay. Another API key's job counts as another body:
     * the request id is derived from the key, so that can only be a direct producer's record.
     */
    static List<String> differences(JobProjection.Submission first, String keyId, String bodySha256, Options replay) {
        var differences = new ArrayList<String>();
        if (!first.keyId().equals(keyId) || !Objects.equals(first.bodySha256(), bodySha256)) {
            differences.add("body");
        }
        if (!Objects.equals(first.webhookUrl(), replay.webhookUrl())) {
            differences.add("fal_webhook");
        }
        if (!Objects.equals(first.priority(), replay.priority())) {
            differences.add("x-fal-queue-priority");
        }
        if (!Objects.equals(first.startTimeout(), replay.startTimeout())) {
            differences.add("X-Fal-Request-Timeout");
        }
        return differences;
    }
}
