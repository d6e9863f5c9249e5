package org.ltxfleet.common.s3;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The fleet's bucket as the workers use it: put and get objects by key, ask whether one exists,
 * and hand out presigned download URLs, signed for where clients reach the store
 * ({@code s3.public.endpoint}). Thread-safe; one per process.
 */
public final class ObjectStore implements AutoCloseable {

    /** The longest a presigned URL may stay valid (S3's limit for SigV4). */
    public static final Duration URL_LIFETIME = Duration.ofDays(7);

    private final S3Client s3;
    /** Signs links for clients, for the public endpoint: the services' own traffic goes through {@link #s3}. */
    private final S3Presigner presigner;
    private final String bucket;

    private ObjectStore(S3Client s3, S3Presigner presigner, String bucket) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
    }

    /** A store for the configured bucket (created if missing). */
    public static ObjectStore open(S3Settings settings) {
        S3Client client = S3Clients.client(settings);
        S3Clients.ensureBucket(client, settings.bucket());
        return new ObjectStore(client, S3Clients.linkPresigner(settings), settings.bucket());
    }

    public boolean exists(String key) {
        return S3Clients.head(s3, bucket, key) != null;
    }

    public void put(String key, Path file) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
    }

    public void put(String key, byte[] bytes, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
    }

    /**
     * Writes the object only if the key is free (S3's {@code If-None-Match: *}); false when an object
     * already has the key (412), or a concurrent conditional write to it won (409).
     */
    public boolean createIfAbsent(String key, byte[] bytes, String contentType) {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).ifNoneMatch("*"),
                    RequestBody.fromBytes(bytes));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    /** The keys under {@code prefix}, in S3's (lexicographic) order. */
    public List<String> keys(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    /** Downloads an object to {@code target} (replaced atomically). */
    public Path get(String key, Path target) throws IOException {
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        s3.getObject(b -> b.bucket(bucket).key(key), partial);
        return Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The object's bytes as a stream; close it when done. */
    public java.io.InputStream stream(String key) {
        return s3.getObject(b -> b.bucket(bucket).key(key));
    }

    /** When the object was last written, or null when there is none. */
    public java.time.Instant lastModified(String key) {
        var head = S3Clients.head(s3, bucket, key);
        return head == null ? null : head.lastModified();
    }

    /** The object's size in bytes. */
    public long size(String key) {
        return s3.headObject(b -> b.bucket(bucket).key(key)).contentLength();
    }

    public byte[] bytes(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    /** The object's bytes, or null when there is no such object (or it is still being written). */
    public byte[] bytesIfPresent(String key) {
        try {
            return bytes(key);
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    /** A presigned GET URL for clients (at {@code s3.public.endpoint}), valid for {@link #URL_LIFETIME}. */
    public String downloadUrl(String key) {
        return downloadUrl(location(key), URL_LIFETIME);
    }

    /**
     * A presigned GET URL for clients (at {@code s3.public.endpoint}) of {@code object} (in any bucket
     * these credentials reach), valid for {@code lifetime}.
     */
    public String downloadUrl(StoredObject object, Duration lifetime) {
        return presigner.presignGetObject(p -> p.signatureDuration(lifetime)
                .getObjectRequest(g -> g.bucket(object.bucket()).key(object.key()))).url().toString();
    }

    /** Where {@code key} lives in this store's bucket. */
    public StoredObject location(String key) {
        return new StoredObject(bucket, key);
    }

    /** Copies an object within the bucket, server-side. */
    public void copy(String fromKey, String toKey) {
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(fromKey).destinationBucket(bucket).destinationKey(toKey));
    }

    /** Stores a file with its content type. */
    public void put(String key, Path file, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromFile(file));
    }

    /** Starts a multipart upload to {@code key}; returns S3's upload id. */
    public String startMultipart(String key, String contentType) {
        return s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType)).uploadId();
    }

    /** Stores one part (1 to 10,000) of a multipart upload; returns its ETag. */
    public String putPart(String key, String uploadId, int partNumber, Path file) {
        return s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber),
                RequestBody.fromFile(file)).eTag();
    }

    /** Joins the parts, in the order given, into the object. */
    public void completeMultipart(String key, String uploadId, List<CompletedPart> parts) {
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));
    }

    /** Aborts a multipart upload, deleting its parts; an upload already completed or aborted answers 404. */
    public void abortMultipart(String key, String uploadId) {
        s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
    }

    /**
     * The ids of the multipart uploads to {@code key} still open (ListMultipartUploads): an aborted
     * or completed one is not listed. (Some stores, S3Proxy's filesystem one among them, still take
     * a part for an aborted upload id; this listing is what shows the abort.)
     */
    public List<String> openMultipartUploads(String key) {
        return s3.listMultipartUploads(b -> b.bucket(bucket).prefix(key)).uploads().stream()
                .filter(u -> key.equals(u.key())).map(software.amazon.awssdk.services.s3.model.MultipartUpload::uploadId)
                .toList();
    }

    /** The first {@code most} keys under {@code prefix}, in S3's (lexicographic) order. */
    public List<String> keys(String prefix, int most) {
        return s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).maxKeys(most)).contents().stream()
                .map(S3Object::key).toList();
    }

    /**
     * Up to {@code most} keys under {@code prefix} that sort after {@code startAfter} (null: from the
     * first), in S3's order (UTF-8 bytes): one ListObjectsV2 call, so a page of a long listing costs one
     * request whatever lies before it.
     */
    public List<String> keysAfter(String prefix, String startAfter, int most) {
        return s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).startAfter(startAfter).maxKeys(most))
                .contents().stream().map(S3Object::key).toList();
    }

    /** Deletes one object (nothing happens when there is none). */
    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    /** Deletes every object under {@code prefix} (e.g. a finished job's checkpoints). */
    public void deletePrefix(String prefix) {
        keys(prefix).forEach(key -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
    }

    @Override
    public void close() {
        presigner.close();
        s3.close();
    }
}
