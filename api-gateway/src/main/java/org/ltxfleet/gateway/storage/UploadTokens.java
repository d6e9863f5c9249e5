package org.ltxfleet.gateway.storage;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.gateway.webhook.SigningKeys;

/**
 * The capability in an upload URL: which object the holder may write, for which key, until when.
 * fal's clients send the data to the URL without credentials, so the URL carries a grant signed
 * with HMAC-SHA256 under a secret derived from the gateways' shared signing key (no new secret to
 * distribute; any gateway with the key file verifies it, also after a rotation). Thread-safe.
 */
public final class UploadTokens {

    private static final String PURPOSE = "ltx-fleet upload grant v1";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    /**
     * What a token allows.
     *
     * @param uploadId    the S3 multipart upload the parts belong to, null for a single PUT
     * @param expiresAt   epoch second the URL stops accepting data: the initiate plus
     *                    {@code gateway.upload.url.seconds} for a single PUT, plus
     *                    {@code gateway.upload.multipart.max.seconds} for a multipart upload (which
     *                    ends earlier with its {@code complete})
     * @param keepSeconds how long the stored file is kept once it has arrived; null: kept
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Grant(String owner, String objectKey, String contentType, String uploadId, long expiresAt,
                        Long keepSeconds) {

        boolean expired(Instant now) {
            return now.getEpochSecond() >= expiresAt;
        }
    }

    private final SigningKeys keys;

    /** Tokens signed under secrets derived from {@code keys}. */
    public UploadTokens(SigningKeys keys) {
        this.keys = keys;
    }

    /** A token for {@code grant}, signed with the current key: {@code payload.kid.mac}, URL-safe. */
    public String issue(Grant grant) {
        var key = keys.current();
        String payload = B64.encodeToString(Json.toBytes(grant));
        return payload + "." + key.kid() + "." + B64.encodeToString(mac(key, payload));
    }

    /** The grant of a genuine, unexpired token; empty for anything else. */
    public Optional<Grant> verify(String token, Instant now) {
        if (token == null) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        var key = keys.find(parts[1]);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (!MessageDigest.isEqual(mac(key.get(), parts[0]), B64D.decode(parts[2]))) {
                return Optional.empty();
            }
            Grant grant = Json.fromBytes(B64D.decode(parts[0]), Grant.class);
            return grant.expired(now) ? Optional.empty() : Optional.of(grant);
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

    private static byte[] mac(SigningKeys.SigningKey key, String payload) {
        try {
            Mac derive = Mac.getInstance("HmacSHA256");
            derive.init(new SecretKeySpec(key.privateKey().getEncoded(), "HmacSHA256"));
            byte[] secret = derive.doFinal(PURPOSE.getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has HmacSHA256", e);
        }
    }
}
