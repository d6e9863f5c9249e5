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
        String endpoint = Settings.S3_ENDPOINT.read(config);
        return new S3Settings(endpoint == null ? null : URI.create(endpoint),
                Settings.S3_REGION.read(config),
                Settings.S3_ACCESS_KEY.read(config),
                Settings.S3_SECRET_KEY.read(config),
                Settings.S3_PATH_STYLE.read(config, endpoint != null),
                Settings.S3_BUCKET.read(config));
    }
}
