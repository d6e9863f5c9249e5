package org.ltxfleet.gateway.submit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.ltxfleet.common.kafka.JobMessage;
import org.ltxfleet.common.kafka.Records;
import org.ltxfleet.gateway.projection.JobProjection;

/**
 * Submits with an {@code Idempotency-Key}, once across every gateway. The request id is derived
 * from the API key and the idempotency key, so every gateway writes the same id; the first record
 * of that id on its partition is the job (the projection and the workers ignore later ones). A
 * gateway answers only once its own projection has read that first record back from Kafka, and
 * answers with it: the same request id everywhere, or 422 when the first body was another. Within
 * one gateway, concurrent submits with one key share a single record.
 */
final class IdempotentSubmits {

    private final JobProjection projection;
    private final JobPublisher publisher;
    private final FairShare lanes;
    private final Duration timeout;
    /** Idempotency scopes whose record this gateway is writing or confirming. */
    private final Map<String, CompletableFuture<JobProjection.Submission>> inFlight = new ConcurrentHashMap<>();

    IdempotentSubmits(JobProjection projection, JobPublisher publisher, FairShare lanes, Duration timeout) {
        this.projection = projection;
        this.publisher = publisher;
        this.lanes = lanes;
        this.timeout = timeout;
    }

    /** The request id every gateway gives a submit with this key and idempotency key. */
    static String requestId(String keyId, String idempotencyKey) {
        return UUID.nameUUIDFromBytes(("idempotency\u0000" + keyId + '\u0000' + idempotencyKey)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * The first submission for this idempotency key, writing {@code newJob(requestId)} when this
     * projection knows none. Fails with the producer's error, or a {@link java.util.concurrent.TimeoutException}
     * when the projection did not read the record back in time (the job may exist: a retry with the
     * same key answers it).
     */
    CompletableFuture<JobProjection.Submission> submit(String keyId, String idempotencyKey,
                                                       Function<String, JobMessage> newJob) {
        var known = projection.idempotent(keyId, idempotencyKey);
        if (known.isPresent()) {
            return CompletableFuture.completedFuture(known.get());
        }
        String scope = keyId + '\u0000' + idempotencyKey;
        var mine = new CompletableFuture<JobProjection.Submission>();
        var earlier = inFlight.putIfAbsent(scope, mine);
        if (earlier != null) {
            return earlier;
        }
        mine.whenComplete((first, error) -> inFlight.remove(scope, mine));
        String requestId = requestId(keyId, idempotencyKey);
        JobMessage job = newJob.apply(requestId);
        publisher.send(Records.job(job, lanes.laneFor(job).topic()))
                .thenCompose(ack -> projection.submission(requestId).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS))
                .whenComplete((first, error) -> {
                    if (error != null) {
                        mine.completeExceptionally(error);
                    } else {
                        mine.complete(first);
                    }
                });
        return mine;
    }
}
