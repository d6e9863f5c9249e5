package org.ltxfleet.common.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;
import org.ltxfleet.common.job.TrainingInput;

/**
 * A preprocessed dataset ready to train, on {@link Topics#READY}, keyed by request id.
 *
 * @param endpoint  the endpoint the job was submitted to (billing names it)
 * @param input     the validated input the job trains with
 * @param bundleKey S3 key prefix of the latent bundle ({@code datasets/{cache_key}/})
 * @param stats     dataset statistics for logs (clips kept and dropped, frames, …)
 * @param validationKey S3 key of the job's encoded validation keyframes and prompts, null without
 *                  validation entries
 * @param debugDatasetKey S3 key of the debug dataset zip, null unless {@code debug_dataset}
 * @param noRetry   the job's {@code no_retry}, copied from it: true to train it in one attempt; null
 *                  (also in messages written before the field) or false: retried as the stage's settings say
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ReadyMessage(int schemaVersion, String requestId, String keyId, String endpoint, String webhookUrl,
                           TrainingInput input,
                           String bundleKey, JsonNode stats, String validationKey, String debugDatasetKey,
                           Boolean noRetry) {

    public ReadyMessage {
        Objects.requireNonNull(requestId, "request_id");
        Objects.requireNonNull(keyId, "key_id");
    }

    /** Whether a failed attempt at training this job may be tried again. */
    public boolean retried() {
        return !Boolean.TRUE.equals(noRetry);
    }
}
