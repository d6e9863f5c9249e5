package org.ltxfleet.common.kafka;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * The charge for one completed job, on {@link Topics#BILLING}, keyed by request id. At most one
 * charge per request id counts: consumers deduplicate on it, so a redelivered record is harmless.
 * Failed and canceled jobs have none.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BillingRecord(int schemaVersion, String requestId, String keyId, String endpoint, long units,
                            BigDecimal unitPriceUsd, BigDecimal amountUsd, Instant time) {

    /** The seed endpoint's price of one unit (one training step, at least 100 per job). */
    public static final BigDecimal UNIT_PRICE_USD = new BigDecimal("0.0024");

    /** The charge for a completed job of {@code units} units. */
    public static BillingRecord of(String requestId, String keyId, String endpoint, long units, Instant time) {
        BigDecimal amount = UNIT_PRICE_USD.multiply(BigDecimal.valueOf(units)).setScale(4, RoundingMode.HALF_UP);
        return new BillingRecord(1, requestId, keyId, endpoint, units, UNIT_PRICE_USD, amount, time);
    }
}
