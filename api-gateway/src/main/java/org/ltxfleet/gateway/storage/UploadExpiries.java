package org.ltxfleet.gateway.storage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.ltxfleet.common.s3.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What becomes of uploads later, kept in the store itself as empty marker objects
 * {@code upload-expiries/{epoch second, 12 digits}/{action}/{upload id}/{object key}}, so that the
 * store lists them soonest first, every gateway sees them and a restart loses none:
 * <ul>
 * <li>{@code delete}: an uploaded file whose {@code X-Fal-Object-Lifecycle} has ended;</li>
 * <li>{@code abort}: a multipart upload still open at {@code gateway.upload.multipart.max.seconds}
 *     (AbortMultipartUpload deletes its parts; the embedded S3Proxy has no lifecycle rules).</li>
 * </ul>
 * Every gateway sweeps (doing it twice is harmless: a second delete or abort finds nothing). What
 * fails is logged and retried on the next sweep.
 */
public final class UploadExpiries implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UploadExpiries.class);
    static final String PREFIX = "upload-expiries/";
    private static final String DELETE = "delete";
    private static final String ABORT = "abort";
    private static final String NO_UPLOAD = "-";
    private static final int BATCH = 1000;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final ObjectStore store;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("upload-expiries").daemon().factory());

    /** Sweeps {@code store}'s markers every {@code everySeconds}. */
    public UploadExpiries(ObjectStore store, long everySeconds) {
        this.store = store;
        timer.scheduleWithFixedDelay(this::sweep, everySeconds, everySeconds, TimeUnit.SECONDS);
    }

    /** Notes that {@code objectKey} is to be deleted at {@code at}. */
    static void deleteAt(ObjectStore store, String objectKey, Instant at) {
        store.put(marker(at, DELETE, NO_UPLOAD, objectKey), new byte[0], "application/octet-stream");
    }

    /** Notes that multipart upload {@code uploadId} of {@code objectKey} is to be aborted at {@code at}. */
    static void abortAt(ObjectStore store, String objectKey, String uploadId, Instant at) {
        store.put(abortMarker(objectKey, uploadId, at), new byte[0], "application/octet-stream");
    }

    /** Forgets the abort of a completed upload (noted with the same {@code at}). */
    static void completed(ObjectStore store, String objectKey, String uploadId, Instant at) {
        store.delete(abortMarker(objectKey, uploadId, at));
    }

    private static String abortMarker(String objectKey, String uploadId, Instant at) {
        return marker(at, ABORT, B64.encodeToString(uploadId.getBytes(StandardCharsets.UTF_8)), objectKey);
    }

    private static String marker(Instant at, String action, String upload, String objectKey) {
        return PREFIX + String.format("%012d", Math.max(0, at.getEpochSecond())) + "/" + action + "/" + upload + "/"
                + objectKey;
    }

    /**
     * Carries out every marker that is due. One that fails is logged with its reason and left for
     * the next sweep, without holding up the others; a malformed one is logged and dropped.
     */
    void sweep() {
        List<String> markers;
        try {
            markers = store.keys(PREFIX, BATCH);
        } catch (RuntimeException e) {
            LOG.warn("could not list the upload expiries (retried on the next sweep): {}", e.toString());
            return;
        }
        long now = Instant.now().getEpochSecond();
        for (String marker : markers) {
            String[] parts = marker.substring(PREFIX.length()).split("/", 4);
            long due;
            try {
                due = parts.length == 4 ? Long.parseLong(parts[0]) : -1;
            } catch (NumberFormatException e) {
                due = -1;
            }
            try {
                if (due < 0) {
                    LOG.warn("dropped the malformed upload expiry marker {}", marker);
                    store.delete(marker);
                    continue;
                }
                if (due > now) {
                    break; // soonest first: the rest are later
                }
                carryOut(parts[1], parts[2], parts[3]);
                store.delete(marker);
            } catch (RuntimeException e) {
                LOG.warn("could not carry out the upload expiry {} (retried on the next sweep): {}", marker,
                        describe(e));
            }
        }
    }

    /** An S3 failure's status and code (what says why an abort or delete was refused). */
    private static String describe(RuntimeException e) {
        if (e instanceof S3Exception s3 && s3.awsErrorDetails() != null) {
            return "HTTP " + s3.statusCode() + " " + s3.awsErrorDetails().errorCode() + ": "
                    + s3.awsErrorDetails().errorMessage();
        }
        return e.toString();
    }

    private void carryOut(String action, String upload, String objectKey) {
        if (DELETE.equals(action)) {
            store.delete(objectKey);
            LOG.info("deleted the upload {}: its lifecycle preference ended", objectKey);
            return;
        }
        String uploadId;
        try {
            uploadId = ABORT.equals(action) ? new String(B64D.decode(upload), StandardCharsets.UTF_8) : null;
        } catch (IllegalArgumentException e) {
            uploadId = null;
        }
        if (uploadId == null) {
            LOG.warn("dropped an upload expiry marker of {} with an unknown action or upload: {}/{}", objectKey,
                    action, upload);
            return;
        }
        try {
            store.abortMultipart(objectKey, uploadId);
            LOG.info("aborted the multipart upload to {}: it was not completed within its time", objectKey);
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
