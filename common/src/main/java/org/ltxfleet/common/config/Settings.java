package org.ltxfleet.common.config;

/** Names of the settings that more than one module reads (README "Configuration" lists them all). */
public final class Settings {

    public static final String KAFKA_BOOTSTRAP = "kafka.bootstrap.servers";
    public static final String S3_ENDPOINT = "s3.endpoint";
    public static final String S3_REGION = "s3.region";
    public static final String S3_ACCESS_KEY = "s3.access.key";
    public static final String S3_SECRET_KEY = "s3.secret.key";
    public static final String S3_BUCKET = "s3.bucket";
    public static final String S3_PATH_STYLE = "s3.path.style";
    public static final String ALLOW_PRIVATE_URLS = "allow.private.urls";

    private Settings() {
    }
}
