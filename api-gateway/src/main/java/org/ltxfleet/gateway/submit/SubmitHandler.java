package org.ltxfleet.gateway.submit;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.ltxfleet.common.job.HttpUrls;
import org.ltxfleet.common.job.InputValidator;
import org.ltxfleet.common.job.InvalidInputException;
import org.ltxfleet.common.job.ValidationProblem;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.json.JsonProblems;
import org.ltxfleet.common.kafka.JobMessage;
import org.ltxfleet.common.kafka.Records;
import org.ltxfleet.gateway.GatewayServices;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.gateway.auth.AuthHandler;
import org.ltxfleet.gateway.http.JsonBuffers;
import org.ltxfleet.gateway.http.Replies;
import org.ltxfleet.gateway.http.RequestUrls;
import org.ltxfleet.gateway.projection.JobProjection;
import org.ltxfleet.gateway.projection.Lane;
import org.ltxfleet.gateway.storage.ObjectLifecycleHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ltxfleet.common.io.Sha256;

/**
 * {@code POST /fal-ai/ltx23-trainer-v2/interpolate}: validates the input, writes the job to
 * {@code ltx.jobs} and answers 200 only once Kafka has acknowledged it (acks=all). Kafka
 * unreachable → 503 with Retry-After, never a 200 for a job that was not stored.
 *
 * <p>{@code Idempotency-Key}: the same key with the same body answers the original request again,
 * through any gateway and also after a restart ({@link IdempotentSubmits}); with another body → 422.
 */
public final class SubmitHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SubmitHandler.class);
    private static final int RETRY_AFTER_SECONDS = 5;
    private static final int QUEUE_FULL_RETRY_SECONDS = 30;
    /** fal's start-timeout header, as its clients send it (lower case). */
    static final String START_TIMEOUT_HEADER = "x-fal-request-timeout";
    /** A week: longer than any queue wait worth a deadline. */
    static final long MAX_START_TIMEOUT_SECONDS = 7 * 24 * 3600;
    /** fal's documented minimum: the timeout must be greater than 0.1 s ("Platform Headers"). */
    static final BigDecimal MIN_START_TIMEOUT_SECONDS = new BigDecimal("0.1");
    /** Digits, optionally a point and more digits: no sign, exponent, hex or type suffix. */
    private static final Pattern PLAIN_SECONDS = Pattern.compile("[0-9]{1,9}(\\.[0-9]{1,9})?");

    private final GatewayServices services;
    private final FairShare lanes;
    private final IdempotentSubmits idempotent;
    private final QueueSlots slots;

    /** A handler over the gateway's services. */
    public SubmitHandler(GatewayServices services) {
        this.services = services;
        this.lanes = new FairShare(services.projection(), services.settings().fairSharePerKey());
        this.idempotent = new IdempotentSubmits(services.projection(), services.publisher(), lanes,
                services.settings().submitTimeout());
        this.slots = new QueueSlots(services.settings().maxQueuedPerKey(), services.projection()::queuedCount);
    }

    /** Handles one submit. */
    public void handle(RoutingContext ctx) {
        // Read as JSON whatever the Content-Type says, as fal does: clients that post a JSON string
        // without one (or as a form) are common; what is not JSON gets a 400 naming the parse error.
        Buffer raw = ctx.body().buffer();
        byte[] bytes = raw == null ? new byte[0] : raw.getBytes(); // one copy for the parse and the digest
        JsonNode body;
        try {
            body = bytes.length == 0 ? null : Json.readTree(bytes);
        } catch (UncheckedIOException e) {
            Replies.error(ctx, 400, malformedJson(e));
            return;
        }
        var problems = new ArrayList<ValidationProblem>();
        InputValidator.Checked checked = null;
        try {
            checked = services.validator().check(body);
        } catch (InvalidInputException e) {
            problems.addAll(e.problems());
        }
        // Without a query string there is nothing to decode: most submits, and decoding was allocation.
        String webhook = ctx.request().query() == null ? null : ctx.queryParams().get("fal_webhook");
        if (webhook != null) {
            try {
                HttpUrls.parse(webhook);
            } catch (HttpUrls.InvalidUrlException e) {
                problems.add(new ValidationProblem(List.of("query", "fal_webhook"), e.problem().msg(), e.problem().type()));
            }
        }
        Instant now = Instant.now();
        Instant startBy = startBy(ctx.request().getHeader(START_TIMEOUT_HEADER), now, problems);
        Long retention = ObjectLifecycleHeader.expirationSeconds(ObjectLifecycleHeader.OUTPUTS,
                ctx.request().getHeader(ObjectLifecycleHeader.OUTPUTS), services.storage().defaultRetention(), problems);
        boolean noRetry = NoRetryHeader.read(ctx.request().getHeader(NoRetryHeader.NAME), problems);
        if (!problems.isEmpty()) {
            Replies.error(ctx, 422, problems);
            return;
        }
        String keyId = AuthHandler.keyId(ctx);
        String idempotencyKey = ctx.request().getHeader("Idempotency-Key");
        if (idempotencyKey != null && idempotencyKey.isBlank()) {
            // An empty key would fold every submit of such a client into its first job.
            Replies.error(ctx, 400, "The Idempotency-Key header is empty; send a key that is unique to this job "
                    + "(and the same one when you retry it), or leave the header out");
            return;
        }
        String bodySha = Sha256.hex(bytes);
        // The record carries only the fields the job reads: unknown bulk stays out of Kafka.
        JsonNode input = checked.knownFields();
        var terms = new JobTerms(now, startBy, retention, noRetry, webhook, priority(ctx));
        boolean replay = idempotencyKey != null
                && services.projection().idempotent(keyId, idempotencyKey.trim()).isPresent();
        // One tenant's backlog must not grow without bound; a replay of an accepted job is no new job.
        // The slot is reserved before the job is produced, so concurrent submits cannot all pass the cap.
        if (!replay && !slots.tryReserve(keyId)) {
            ctx.response().putHeader("Retry-After", Integer.toString(QUEUE_FULL_RETRY_SECONDS));
            Replies.error(ctx, 429, "This API key already has " + slots.cap() + " jobs waiting for a worker "
                    + "(gateway.max.queued.per.key); submit more once some have started");
            return;
        }
        Runnable releaseSlot = replay ? () -> { } : () -> slots.release(keyId);
        if (idempotencyKey != null) {
            submitOnce(ctx, keyId, idempotencyKey.trim(), bodySha, input, terms, releaseSlot);
        } else {
            Lane lane = lanes.laneFor(keyId, terms.priority());
            JobPlacement.Placed placed = services.placement().place(lane.topic());
            publish(ctx, newJob(placed.requestId(), keyId, null, bodySha, input, terms), lane, placed,
                    releaseSlot);
        }
    }

    /**
     * The deadline to start that fal's {@code X-Fal-Request-Timeout} (the clients' {@code
     * startTimeout}, in seconds) asks for, or null without one; a value that is not a positive
     * number of seconds is a problem of the request.
     */
    static Instant startBy(String header, Instant now, List<ValidationProblem> problems) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        // A plain decimal, as fal documents it: Java's number syntax (1e-9, 0x1p4, 5d) is not.
        BigDecimal seconds = PLAIN_SECONDS.matcher(value).matches() ? new BigDecimal(value) : null;
        if (seconds == null || seconds.compareTo(MIN_START_TIMEOUT_SECONDS) <= 0
                || seconds.compareTo(BigDecimal.valueOf(MAX_START_TIMEOUT_SECONDS)) > 0) {
            problems.add(new ValidationProblem(List.of("header", START_TIMEOUT_HEADER),
                    "X-Fal-Request-Timeout should be a decimal number of seconds (such as 30 or 2.5) greater than "
                            + MIN_START_TIMEOUT_SECONDS.toPlainString() + " and at most " + MAX_START_TIMEOUT_SECONDS,
                    "value_error"));
            return null;
        }
        return now.plusMillis(seconds.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact());
    }

    /**
     * When the job was submitted, by when it must start, how long its outputs are kept (null: no
     * limit), whether it asked for one attempt ({@code x-fal-no-retry}), its webhook (null: none)
     * and priority: read once from the request for everything that needs them.
     */
    private record JobTerms(Instant submittedAt, Instant startBy, Long outputExpirationSeconds, boolean noRetry,
                            String webhook, String priority) {
    }

    private void submitOnce(RoutingContext ctx, String keyId, String idempotencyKey, String bodySha, JsonNode body,
                            JobTerms terms, Runnable releaseSlot) {
        Context context = ctx.vertx().getOrCreateContext();
        idempotent.submit(keyId, idempotencyKey, id -> newJob(id, keyId, idempotencyKey, bodySha, body, terms))
                .whenComplete((first, error) -> context.runOnContext(v -> {
                    // Read back by now (so counted as queued), or not stored: either way the slot is done.
                    releaseSlot.run();
                    if (error != null) {
                        notStored(ctx, error instanceof CompletionException wrapped ? wrapped.getCause() : error,
                                "an idempotent job", true);
                    } else {
                        replied(ctx, first, IdempotentReplay.differences(first, keyId, bodySha, replayOf(terms)));
                    }
                }));
    }

    /** Answers a submit with an idempotency key: its first job, or 422 naming what this one changed. */
    private void replied(RoutingContext ctx, JobProjection.Submission first, List<String> differences) {
        if (differences.isEmpty()) {
            accepted(ctx, first.requestId(), services.projection().queuePosition(first.requestId()));
            return;
        }
        Replies.error(ctx, 422, List.of(new ValidationProblem(List.of("header", "Idempotency-Key"),
                "Idempotency-Key was already used with a different " + String.join(" and ", differences)
                        + "; send the first request again unchanged, or use a new key for a new job",
                "idempotency_key_reused")));
    }

    /** This request's options that a replay of its idempotency key must repeat. */
    private static IdempotentReplay.Options replayOf(JobTerms terms) {
        return new IdempotentReplay.Options(terms.webhook(), terms.priority(),
                terms.startBy() == null ? null : java.time.Duration.between(terms.submittedAt(), terms.startBy()));
    }

    private static JobMessage newJob(String requestId, String keyId, String idempotencyKey, String bodySha,
                                     JsonNode body, JobTerms terms) {
        return new JobMessage(JobMessage.SCHEMA_VERSION, requestId, keyId,
                GatewaySettings.ENDPOINT_ID, terms.submittedAt(), terms.webhook(),
                terms.priority(), idempotencyKey, bodySha, body, terms.startBy(), terms.outputExpirationSeconds(),
                terms.noRetry() ? Boolean.TRUE : null);
    }

    /** Publishes a job whose fresh request id places it on its lane's least-loaded partition ({@link JobPlacement}). */
    private void publish(RoutingContext ctx, JobMessage job, Lane lane, JobPlacement.Placed placed,
                         Runnable releaseSlot) {
        Context context = ctx.vertx().getOrCreateContext();
        services.publisher().send(Records.job(job, lane.topic())).whenComplete((metadata, error) -> context.runOnContext(v -> {
            if (error != null) {
                releaseSlot.run();
                services.placement().notStored(placed);
                notStored(ctx, error, job.requestId(), false);
                return;
            }
            services.placement().stored(placed, metadata.offset());
            // A random id is this job's alone: record it now rather than wait for the read-back.
            services.projection().submitted(job, lane);
            services.projectionConsumer().recordedHere(new TopicPartition(metadata.topic(), metadata.partition()),
                    metadata.offset());
            releaseSlot.run(); // after the job counts as queued: never counted in neither place
            // A fresh job is last in line of its lane; counting is O(1) where a lookup is O(backlog).
            accepted(ctx, job.requestId(), services.projection().positionOfNewest(lane));
        }));
    }

    private static void notStored(RoutingContext ctx, Throwable error, String what, boolean withKey) {
        if (error instanceof RecordTooLargeException) {
            // Retrying cannot help: say so instead of a 503 the client would follow forever.
            Replies.error(ctx, 413, "The job is larger than the job queue accepts (" + error.getMessage() + ")");
            return;
        }
        ctx.response().putHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        if (error instanceof TimeoutException) {
            // Written, but not yet read back: a retry with the same key answers the job.
            Replies.error(ctx, 503, "The job was written but not confirmed in time; retry with the same Idempotency-Key");
            return;
        }
        LOG.warn("{} not stored in Kafka: {}", what, error.toString());
        if (deliveryTimedOut(error)) {
            // The idempotent producer may have written it before its answer was lost: nobody knows.
            Replies.error(ctx, 503, "The job queue did not confirm the job in time: it may have been accepted. "
                    + (withKey ? "Retry with the same Idempotency-Key to get this job rather than a second one"
                    : "A retry could make a second job; send an Idempotency-Key header (and the same one when you "
                    + "retry) to get exactly one"));
            return;
        }
        Replies.error(ctx, 503, "The job queue is unavailable; the job was not accepted, retry later");
    }

    /** Whether Kafka's producer gave up waiting for the record's acknowledgement, anywhere in the causes. */
    private static boolean deliveryTimedOut(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.errors.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** fal's clients send {@code x-fal-queue-priority: normal} unless asked for low. */
    private static String priority(RoutingContext ctx) {
        return "low".equalsIgnoreCase(ctx.request().getHeader("x-fal-queue-priority")) ? "low" : "normal";
    }

    private void accepted(RoutingContext ctx, String requestId, int position) {
        var urls = RequestUrls.of(ctx, services.settings().publicBase(), GatewaySettings.APP_PATH, requestId);
        ctx.response().putHeader("x-fal-request-id", requestId);
        Replies.written(ctx, 200, acceptedBody(requestId, urls, position));
    }

    /**
     * The answer to an accepted submit, streamed into the reply's buffer: a tree of seven nodes
     * first was most of the answer's allocation on a saturated gateway ({@code ./fleet bench gateway}).
     */
    static Buffer acceptedBody(String requestId, RequestUrls urls, int position) {
        // Room for the whole answer (its names and punctuation are under 160 bytes): growing the
        // buffer would copy it.
        Buffer body = Buffer.buffer(160 + 2 * requestId.length() + urls.responseUrl().length()
                + urls.statusUrl().length() + urls.cancelUrl().length());
        try (var json = JsonBuffers.generator(body)) {
            json.writeStartObject();
            json.writeStringField("status", "IN_QUEUE");
            json.writeStringField("request_id", requestId);
            json.writeStringField("gateway_request_id", requestId);
            json.writeStringField("response_url", urls.responseUrl());
            json.writeStringField("status_url", urls.statusUrl());
            json.writeStringField("cancel_url", urls.cancelUrl());
            json.writeNumberField("queue_position", Math.max(position, 0));
            json.writeEndObject();
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e); // appending to a buffer does not fail
        }
        return body;
    }

    /** What a 400 says about a body that is not JSON. */
    static String malformedJson(Throwable e) {
        return JsonProblems.describe(e);
    }
}
