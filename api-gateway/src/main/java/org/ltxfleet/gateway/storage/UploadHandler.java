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
        Long keep = ObjectLifecycleHeader.expirationSeconds(ObjectLifecycleHeader.UPLOAD,
                ctx.request().getHeader(ObjectLifecycleHeader.UPLOAD), null, problems);
        if (!problems.isEmpty()) {
            Replies.error(ctx, 422, problems);
            return;
        }
        String owner = AuthHandler.keyId(ctx);
        String key = "uploads/" + owner + "/" + UUID.randomUUID() + "/" + request.fileName();
        String base = services.settings().publicBase().of(ctx);
        long expiresAt = Instant.now().plus(services.storage().uploadUrlLifetime()).getEpochSecond();
        Duration linkLife = keep == null || keep > ObjectStore.URL_LIFETIME.toSeconds()
                ? ObjectStore.URL_LIFETIME : Duration.ofSeconds(keep);
        blocking(ctx, () -> {
            String uploadId = multipart ? store().startMultipart(key, request.contentType()) : null;
            String token = tokens.issue(new UploadTokens.Grant(owner, key, request.contentType(), uploadId, expiresAt));
            String path = multipart ? "/storage/upload/multipart" : "/storage/upload/object";
            return Json.object().put("upload_url", base + path + "?token=" + token)
                    .put("file_url", store().downloadUrl(store().location(key), linkLife));
        });
    }

    /** {@code PUT /storage/upload/object?token=…}: the whole file. */
    public void putObject(RoutingContext ctx) {
        var grant = grant(ctx, false);
        if (grant == null) {
            return;
        }
        long limit = Math.min(services.storage().maxUploadBytes(), MAX_SINGLE_PUT);
        receive(ctx, limit, file -> {
            store().put(grant.objectKey(), file, grant.contentType());
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
            Replies.error(ctx, 400, "Part number should be 1 to " + MAX_PARTS + ", not " + ctx.pathParam("part"));
            return;
        }
        int partNumber = part;
        receive(ctx, services.storage().maxPartBytes(), file -> {
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
            long size = store().size(grant.objectKey());
            if (size > services.storage().maxUploadBytes()) {
                store().delete(grant.objectKey());
                throw new TooLarge(services.storage().maxUploadBytes());
            }
            return Json.object();
        });
    }

    /** The grant of the request's token for this kind of upload, or null once refused. */
    private UploadTokens.Grant grant(RoutingContext ctx, boolean multipart) {
        var grant = tokens.verify(ctx.queryParams().get("token"), Instant.now())
                .filter(g -> (g.uploadId() != null) == multipart);
        if (grant.isEmpty()) {
            Replies.error(ctx, 403, "This upload URL is not valid or has expired; initiate the upload again");
            return null;
        }
        return grant.get();
    }

    /**
     * Streams the request body to a scratch file (never to memory), then hands the file to
     * {@code store} on a worker thread; the file is deleted whatever happens.
     */
    private void receive(RoutingContext ctx, long limit, StoreFile store) {
        HttpServerRequest request = ctx.request();
        request.pause();
        long length;
        try {
            length = Long.parseLong(request.getHeader("Content-Length"));
        } catch (NumberFormatException e) {
            Replies.error(ctx, 411, "Send the upload with a Content-Length");
            return;
        }
        if (length > limit) {
            Replies.error(ctx, 413, "This upload is larger than " + limit + " bytes");
            return;
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            ctx.response().writeContinue();
        }
        Vertx vertx = ctx.vertx();
        vertx.fileSystem().createTempFile("fleet-upload", ".part").onComplete(created -> {
            if (created.failed()) {
                fail(ctx, created.cause());
                return;
            }
            Path file = Path.of(created.result());
            vertx.fileSystem().open(created.result(), new OpenOptions().setWrite(true).setTruncateExisting(true))
                    .compose(request::pipeTo)
                    .compose(v -> vertx.executeBlocking(() -> {
                        if (Files.size(file) != length) {
                            throw new IOException("the body ended after " + Files.size(file) + " of " + length
                                    + " bytes");
                        }
                        return store.apply(file);
                    }))
                    .onComplete(done -> {
                        deleteQuietly(file);
                        answer(ctx, done);
                    });
        });
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

    private static void deleteQuietly(Path file) {
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
