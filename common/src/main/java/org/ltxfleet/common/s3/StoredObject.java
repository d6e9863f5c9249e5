package org.ltxfleet.common.s3;

import java.util.Optional;

/**
 * Where an object lives, written {@code s3://bucket/key}. Events name outputs this way rather than
 * by a presigned URL: a URL signed at completion dies within 7 days (sooner with temporary
 * credentials), so the gateway signs one each time it renders a result or webhook.
 */
public record StoredObject(String bucket, String key) {

    private static final String SCHEME = "s3://";

    public StoredObject {
        if (bucket == null || bucket.isEmpty() || bucket.contains("/") || key == null || key.isEmpty()) {
            throw new IllegalArgumentException("not an object location: " + bucket + " / " + key);
        }
    }

    /** The location an {@code s3://bucket/key} string names; empty for anything else (an http URL, null). */
    public static Optional<StoredObject> parse(String uri) {
        if (uri == null || !uri.startsWith(SCHEME)) {
            return Optional.empty();
        }
        int slash = uri.indexOf('/', SCHEME.length());
        if (slash <= SCHEME.length() || slash == uri.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new StoredObject(uri.substring(SCHEME.length(), slash), uri.substring(slash + 1)));
    }

    @Override
    public String toString() {
        return SCHEME + bucket + "/" + key;
    }
}
