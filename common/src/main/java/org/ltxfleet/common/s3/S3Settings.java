package org.ltxfleet.common.s3;

import java.net.URI;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Settings;

/**
 * Where the fleet keeps its objects. {@code endpoint} null means AWS itself; set it for MinIO,
 * S3Proxy or any S3-compatible store (usually with path-style access). {@code publicEndpoint} is
 * where clients reach the same store, when that differs (null: {@code endpoint}).
 */
public record S3Settings(URI endpoint, String region, String accessKey, String secretKey, boolean pathStyle,
                         String bucket, URI publicEndpoint) {

    /** Settings whose clients reach the store where the services do. */
    public S3Settings(URI endpoint, String region, String accessKey, String secretKey, boolean pathStyle,
                      String bucket) {
        this(endpoint, region, accessKey, secretKey, pathStyle, bucket, null);
    }

    /** Reads the {@code s3.*} settings. */
    public static S3Settings from(FleetConfig config) {
        String endpoint = Settings.S3_ENDPOINT.read(config);
        return new S3Settings(endpoint == null ? null : URI.create(endpoint),
                Settings.S3_REGION.read(config),
                Settings.S3_ACCESS_KEY.read(config),
                Settings.S3_SECRET_KEY.read(config),
                Settings.S3_PATH_STYLE.read(config, endpoint != null),
                Settings.S3_BUCKET.read(config),
                publicEndpoint(Settings.S3_PUBLIC_ENDPOINT.read(config)));
    }

    /** The endpoint links handed to clients are presigned for (null: AWS). */
    public URI linkEndpoint() {
        return publicEndpoint != null ? publicEndpoint : endpoint;
    }

    /**
     * {@code s3.public.endpoint} as a URI, refused unless it is an http(s) origin: the presigner
     * puts the bucket and key after it, so a path or query would end up inside every signed link.
     */
    private static URI publicEndpoint(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (java.net.URISyntaxException e) {
            throw invalidPublicEndpoint(value, "is not a URL: " + e.getMessage());
        }
        boolean web = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
        if (!web || uri.getHost() == null) {
            throw invalidPublicEndpoint(value, "needs http:// or https:// and a host");
        }
        boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        if (!bare) {
            throw invalidPublicEndpoint(value, "must be scheme, host and port only (no path, query or user info)");
        }
        return uri;
    }

    private static IllegalArgumentException invalidPublicEndpoint(String value, String problem) {
        var setting = Settings.S3_PUBLIC_ENDPOINT;
        return new IllegalArgumentException("setting " + setting.key() + " (" + setting.envName() + ") " + problem
                + ", got '" + value + "'");
    }
}
