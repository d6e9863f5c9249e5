package org.ltxfleet.common.s3;

import java.net.URI;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Settings;

/**
 * Where the fleet keeps its objects. {@code endpoint} null means AWS itself; set it for MinIO,
 * S3Proxy or any S3-compatible store (usually with path-style access).
 */
public record S3Settings(URI endpoint, String region, String accessKey, String secretKey, boolean pathStyle,
                         String bucket) {

    /** Reads the {@code s3.*} settings. */
    public static S3Settings from(FleetConfig config) {
        String endpoint = config.string(Settings.S3_ENDPOINT, null);
        return new S3Settings(endpoint == null ? null : URI.create(endpoint),
                config.string(Settings.S3_REGION, "us-east-1"),
                config.string(Settings.S3_ACCESS_KEY, null),
                config.string(Settings.S3_SECRET_KEY, null),
                config.bool(Settings.S3_PATH_STYLE, endpoint != null),
                config.string(Settings.S3_BUCKET, "ltx-fleet"));
    }
}
