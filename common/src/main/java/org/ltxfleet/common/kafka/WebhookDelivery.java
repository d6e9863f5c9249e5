package org.ltxfleet.common.kafka;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * One webhook to deliver, on {@link Topics#WEBHOOKS} or a retry tier, keyed by request id. The
 * body is fixed when the delivery is created, so every attempt sends the same bytes under the same
 * {@code deliveryId}: receivers deduplicate on it.
 *
 * @param attempt    attempts already made (0 for a new delivery)
 * @param firstTry   when the first attempt was due: the retry window counts from here
 * @param notBefore  the next attempt is not made before this time
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record WebhookDelivery(int schemaVersion, String deliveryId, String requestId, String keyId, String url,
                              String body, int attempt, Instant firstTry, Instant notBefore) {

    /** This delivery after one more failed attempt, due again at {@code next}. */
    public WebhookDelivery retried(Instant next) {
        return new WebhookDelivery(schemaVersion, deliveryId, requestId, keyId, url, body, attempt + 1, firstTry, next);
    }
}
