package org.ltxfleet.gateway.storage;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.ltxfleet.common.job.ValidationProblem;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.s3.ObjectStore;
import org.ltxfleet.gateway.GatewayServices;
import org.ltxfleet.gateway.auth.AuthHandler;
import org.ltxfleet.gateway.auth.RateLimits;
import org.ltxfleet.gateway.http.Replies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The storage endpoints {@code fal.storage.upload} uses, backed by the fleet's bucket under the
 * caller's key ({@code uploads/{key_id}/…}):
 * <ul>
 * <li>{@code POST /storage/upload/initiate} → {@code {upload_url, file_url}}; the client PUTs the
 *     file to {@code upload_url};</li>
 * <li>{@code POST /storage/upload/initiate-multipart} → the same; the client PUTs each part to
 *     {@code upload_url/{n}} (answered {@code {partNumber, etag}}) and POSTs {@code {parts}} to
 *     {@code upload_url/complete}.</li>
 * </ul>
 * Upload URLs carry a signed grant (fal's clients send no credentials with the data) and reach
 * this gateway, which streams each body to a scratch file, then to S3. {@code file_url} is a
 * presigned link; a preprocess worker reads a job owner's own uploads straight from the store.
 */
public final class UploadHandler {

    private static final Logger LOG = LoggerFactory.getLogger(UploadHandler.class);
    /** S3's largest single PUT. */
    private static final long MAX_SINGLE_PUT = 5L << 30;
    private static final int MAX_PARTS = 10_000;
    private static final String DEFAULT_TYPE = "application/octet-stream";
    /** The largest refused body read and dropped rather than answered by closing the connection. */
    private static final long SKIP_MOST = 64L << 20;

    private final GatewayServices services;
    private final UploadTokens tokens;

    /** A handler over the gateway's services; {@code tokens} signs and checks upload URLs. */
    public UploadHandler(GatewayServices services, UploadTokens tokens) {
        this.services = services;
        this.tokens = tokens;
    }

    /** {@code POST /storage/upload/initiate}: one PUT of the whole file. */
    public void initiate(RoutingContext ctx) {
        start(ctx, false);
    }

    /** {@code POST /storage/upload/initiate-multipart}: parts, then complete. */
    public void initiateMultipart(RoutingContext ctx) {
        start(ctx, true);
    }

    private void start(RoutingContext ctx, boolean multipart) {
        var problems = new ArrayList<ValidationProblem>();
        UploadRequest request = UploadRequest.read(ctx.body().buffer(), problems);
        Long keep = lifecycle(ctx, problems);
        if (!problems.isEmpty()) {
            Replies.error(ctx, 422, problems);
            return;
        }
        String owner = AuthHandler.keyId(ctx);
        String key = "uploads/" + owner + "/" + UUID.randomUUID() + "/" + request.fileName();
        String base = services.settings().publicBase().of(ctx);
        // A multipart upload's URL lives until its complete (within the cap): a slow 20 GiB upload
        // must not die with a one-hour URL between its parts.
        Instant expiresAt = Instant.now().plus(multipart ? services.storage().multipartLifetime()
                : services.storage().uploadUrlLifetime());
        Duration linkLife = keep == null || keep > ObjectStore.URL_LIFETIME.toSeconds()
                ? ObjectStore.URL_LIFETIME : Duration.ofSeconds(keep);
        blocking(ctx, () -> {
            String uploadId = multipart ? store().startMultipart(key, request.contentType()) : null;
            if (multipart) {
                try {
                    UploadExpiries.abortAt(store(), key, uploadId, expiresAt);
                } catch (RuntimeException e) {
                    // Without its marker nothing would ever abort it: abort it now.
                    try {
                        store().abortMultipart(key, uploadId);
                    } catch (RuntimeException abort) {
                        e.addSuppressed(abort);
                    }
                    throw e;
                }
            }
            String token = tokens.issue(new UploadTokens.Grant(owner, key, request.contentType(), uploadId,
                    expiresAt.getEpochSecond(), keep));
            String path = multipart ? "/storage/upload/multipart" : "/storage/upload/object";
            return Json.object().put("upload_url", base + path + "?token=" + token)
                    .put("file_url", store().downloadUrl(store().location(key), linkLife));
        });
    }

    /**
     * The upload's lifecycle: fal's clients send {@code X-Fal-Object-Lifecycle} on the initiate,
     * its queue API {@code X-Fal-Object-Lifecycle-Preference}; either is read (the first when both).
     */
    private static Long lifecycle(RoutingContext ctx, List<ValidationProblem> problems) {
        String name = ctx.request().getHeader(ObjectLifecycleHeader.UPLOAD) != null
                ? ObjectLifecycleHeader.UPLOAD : ObjectLifecycleHeader.OUTPUTS;
        return ObjectLifecycleHeader.expirationSeconds(name, ctx.request().getHeader(name), null, problems);
    }

    /** {@code PUT /storage/upload/object?token=…}: the whole file. */
    public void putObject(RoutingContext ctx) {
        var grant = grant(ctx, false);
        if (grant == null) {
            return;
        }
        long limit = Math.min(services.storage().maxUploadBytes(), MAX_SINGLE_PUT);
        receive(ctx, grant, grant.objectKey(), limit, file -> {
            store().put(grant.objectKey(), file, grant.contentType());
            expireLater(grant);
            return Json.object();
        });
    }

    /** {@code PUT /storage/upload/multipart/{n}?token=…}: one part, answered with its ETag. */
    public void putPart(RoutingContext ctx) {
        var grant = grant(ctx, true);
        if (grant == null) {
            return;
        }
        int part;
        try {
            part = Integer.parseInt(ctx.pathParam("part"));
        } catch (NumberFormatException e) {
            part = 0;
        }
        if (part < 1 || part > MAX_PARTS) {
            skipBody(ctx);
            Replies.error(ctx, 400, "Part number should be 1 to " + MAX_PARTS + ", not " + ctx.pathParam("part"));
            return;
        }
        int partNumber = part;
        receive(ctx, grant, grant.objectKey() + "#" + partNumber, services.storage().maxPartBytes(), file -> {
            String etag = store().putPart(grant.objectKey(), grant.uploadId(), partNumber, file);
            ctx.response().putHeader("ETag", etag);
            return Json.object().put("partNumber", partNumber).put("etag", etag);
        });
    }

    /** {@code POST /storage/upload/multipart/complete?token=…} with {@code {parts: [{partNumber, etag}]}}. */
    public void complete(RoutingContext ctx) {
        var grant = grant(ctx, true);
        if (grant == null) {
            return;
        }
        List<CompletedPart> parts = new ArrayList<>();
        try {
            JsonNode body = Json.readTree(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
            if (body == null || !body.path("parts").isArray()) {
                throw new IllegalArgumentException("no parts array");
            }
            for (JsonNode part : body.get("parts")) {
                if (!part.path("partNumber").canConvertToInt() || !part.path("etag").isTextual()) {
                    throw new IllegalArgumentException("each part needs a partNumber and an etag");
                }
                parts.add(CompletedPart.builder().partNumber(part.get("partNumber").asInt())
                        .eTag(part.get("etag").asText()).build());
            }
        } catch (UncheckedIOException | IllegalArgumentException e) {
            Replies.error(ctx, 400, "The body should be {\"parts\": [{\"partNumber\": 1, \"etag\": \"…\"}, …]}: "
                    + e.getMessage());
            return;
        }
        if (parts.isEmpty()) {
            Replies.error(ctx, 400, "The body lists no parts");
            return;
        }
        blocking(ctx, () -> {
            store().completeMultipart(grant.objectKey(), grant.uploadId(), parts);
            UploadExpiries.completed(store(), grant.objectKey(), grant.uploadId(),
                    Instant.ofEpochSecond(grant.expiresAt()));
            long size = store().size(grant.objectKey());
            if (size > services.storage().maxUploadBytes()) {
                store().delete(grant.objectKey());
                throw new TooLarge(services.storage().maxUploadBytes());
            }
            expireLater(grant);
            return Json.object();
        });
    }

    /** Notes when the stored file of {@code grant} is to be deleted, if its lifecycle says. */
    private void expireLater(UploadTokens.Grant grant) {
        if (grant.keepSeconds() != null) {
            UploadExpiries.deleteAt(store(), grant.objectKey(), Instant.now().plusSeconds(grant.keepSeconds()));
        }
    }

    /**
     * The grant of the request's token for this kind of upload, or null once refused. The call
     * draws on the token's key's rate limit, as the key's other calls do.
     */
    private UploadTokens.Grant grant(RoutingContext ctx, boolean multipart) {
        var grant = tokens.verify(ctx.queryParams().get("token"), Instant.now())
                .filter(g -> (g.uploadId() != null) == multipart);
        if (grant.isEmpty()) {
            skipBody(ctx);
            Replies.error(ctx, 403, "This upload URL is not valid or has expired; initiate the upload again");
            return null;
        }
        if (!services.rateLimits().tryAcquire(grant.get().owner(), RateLimits.Budget.CALLS)) {
            skipBody(ctx);
            ctx.response().putHeader("Retry-After", "1");
            Replies.error(ctx, 429, "Too many requests for this API key (uploads count too); retry after the "
                    + "Retry-After seconds");
            return null;
        }
        return grant.get();
    }

    /**
     * Streams the request body to a scratch file (never to memory), then hands the file to
     * {@code store} on a worker thread; the file is deleted whatever happens. One body at a time
     * per {@code slot} (409 for a second), within the key's scratch budget (429), and a body that
     * sends nothing for {@code gateway.upload.idle.seconds} is answered 408.
     */
    private void receive(RoutingContext ctx, UploadTokens.Grant grant, String slot, long limit, StoreFile store) {
        HttpServerRequest request = ctx.request();
        request.pause();
        long length;
        try {
            length = Long.parseLong(request.getHeader("Content-Length"));
            if (length < 0) {
                throw new NumberFormatException("negative"); // would draw the scratch budget down
            }
        } catch (NumberFormatException e) {
            skipBody(ctx);
            Replies.error(ctx, 411, "Send the upload with a Content-Length");
            return;
        }
        if (length > limit) {
            skipBody(ctx);
            Replies.error(ctx, 413, "This upload is larger than " + limit + " bytes");
            return;
        }
        UploadSlots slots = UploadSlots.of(ctx.vertx(), services.storage().scratchPerKey());
        var outcome = slots.claim(slot, grant.owner(), length);
        if (outcome.refusal() == UploadSlots.Refusal.BUSY) {
            skipBody(ctx);
            Replies.error(ctx, 409, "This upload URL (or part) is already receiving a body; wait for that PUT to "
                    + "finish, or abort it, before sending it again");
            return;
        }
        if (outcome.refusal() == UploadSlots.Refusal.FULL) {
            skipBody(ctx);
            ctx.response().putHeader("Retry-After", "5");
            Replies.error(ctx, 429, "This API key's uploads in progress on this gateway would hold more than "
                    + slots.scratchPerKey() + " bytes (gateway.upload.scratch.max.bytes); retry once some have "
                    + "finished");
            return;
        }
        var claim = outcome.claim();
        new ScratchBody(ctx, length, services.storage().uploadIdle()).receive(ctx.vertx().fileSystem())
                .compose(file -> ctx.vertx().executeBlocking(() -> {
                    try {
                        return store.apply(file);
                    } finally {
                        deleteQuietly(file);
                    }
                }))
                .onComplete(done -> {
                    slots.release(claim);
                    if (!(done.failed() && done.cause() instanceof ScratchBody.Idle)) {
                        answer(ctx, done);
                    }
                });
    }

    /**
     * Before an answer that refuses a body not yet read: a client that sends its whole body before
     * reading the answer (Java's HttpClient, many others) would otherwise wait forever on a paused
     * request. A body of at most {@link #SKIP_MOST} declared bytes is read and dropped (never to
     * disk), keeping the connection; a larger one, or one of unknown length, gets
     * {@code Connection: close} and the connection is closed once the answer is out.
     */
    private static void skipBody(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.isEnded()) {
            return;
        }
        long length;
        try {
            length = Long.parseLong(request.getHeader("Content-Length"));
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length < 0 || length > SKIP_MOST) {
            ctx.response().putHeader("Connection", "close");
            ctx.addEndHandler(v -> request.connection().close());
            return;
        }
        request.exceptionHandler(error -> { }); // the client going away changes nothing
        request.handler(chunk -> { });
        request.resume();
    }

    /** Runs store calls on a worker thread and answers with their result. */
    private void blocking(RoutingContext ctx, Callable<Object> work) {
        ctx.vertx().executeBlocking(work).onComplete(done -> answer(ctx, done));
    }

    /** 200 with the store call's result, or the error it maps to. */
    private static void answer(RoutingContext ctx, AsyncResult<?> done) {
        if (done.succeeded()) {
            Replies.json(ctx, 200, done.result());
        } else {
            fail(ctx, done.cause());
        }
    }

    private static void fail(RoutingContext ctx, Throwable error) {
        if (ctx.response().closed() || ctx.response().ended()) {
            LOG.debug("upload ended without an answer (the client went away): {}", error.toString());
            return;
        }
        if (error instanceof TooLarge tooLarge) {
            Replies.error(ctx, 413, tooLarge.getMessage());
        } else if (error instanceof S3Exception s3 && s3.statusCode() == 404) {
            Replies.error(ctx, 404, "This upload no longer exists (completed or aborted); initiate it again");
        } else if (error instanceof S3Exception s3 && s3.statusCode() == 400) {
            Replies.error(ctx, 400, "The store refused the upload: " + s3.awsErrorDetails().errorMessage());
        } else if (error instanceof IOException io) {
            Replies.error(ctx, 400, "The upload did not arrive whole: " + io.getMessage());
        } else {
            LOG.warn("upload failed: {}", error.toString());
            ctx.response().putHeader("Retry-After", "5");
            Replies.error(ctx, 503, "The store is unavailable; retry the upload later");
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not delete the scratch file {}: {}", file, e.toString());
        }
    }

    private ObjectStore store() {
        return services.store();
    }

    /** Moves a received file into the store; runs on a worker thread. */
    @FunctionalInterface
    private interface StoreFile {
        Object apply(Path file) throws Exception;
    }

    /** A completed upload past the size limit (deleted). */
    private static final class TooLarge extends RuntimeException {
        TooLarge(long limit) {
            super("The upload is larger than " + limit + " bytes; it was deleted");
        }
    }
}
