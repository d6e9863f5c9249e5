package org.ltxfleet.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ltxfleet.common.io.Sha256;

/**
 * Signs one webhook attempt two ways, so receivers can verify with fal's scheme or with a
 * Standard Webhooks library:
 * <ul>
 * <li>fal: {@code X-Fal-Webhook-Signature} = hex Ed25519 signature of
 *     {@code request_id \n user_id \n timestamp \n hex(sha256(body))}, with the request id, user id
 *     (the API key id) and Unix timestamp in their own headers;</li>
 * <li>Standard Webhooks: {@code webhook-signature: v1a,<base64 Ed25519 signature of id.timestamp.body>}.</li>
 * </ul>
 */
public final class WebhookSigner {

    private final SigningKeys keys;

    /** A signer using the current key of {@code keys}. */
    public WebhookSigner(SigningKeys keys) {
        this.keys = keys;
    }

    /** The headers of one attempt, signed now. */
    public Map<String, String> headers(String deliveryId, String requestId, String userId, byte[] body,
                                       long unixSeconds) {
        var key = keys.current();
        String timestamp = Long.toString(unixSeconds);
        String falMessage = requestId + "\n" + userId + "\n" + timestamp + "\n" + sha256Hex(body);
        byte[] standardMessage = concat((deliveryId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
        var headers = new LinkedHashMap<String, String>();
        headers.put("X-Fal-Webhook-Request-Id", requestId);
        headers.put("X-Fal-Webhook-User-Id", userId);
        headers.put("X-Fal-Webhook-Timestamp", timestamp);
        headers.put("X-Fal-Webhook-Signature",
                HexFormat.of().formatHex(sign(key, falMessage.getBytes(StandardCharsets.UTF_8))));
        headers.put("X-Fal-Webhook-Key-Id", key.kid());
        headers.put("webhook-id", deliveryId);
        headers.put("webhook-timestamp", timestamp);
        headers.put("webhook-signature", "v1a," + Base64.getEncoder().encodeToString(sign(key, standardMessage)));
        return headers;
    }

    private static byte[] sign(SigningKeys.SigningKey key, byte[] message) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key.privateKey());
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    static String sha256Hex(byte[] body) {
        return Sha256.hex(body);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
