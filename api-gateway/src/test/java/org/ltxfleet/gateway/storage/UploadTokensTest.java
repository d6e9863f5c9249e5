package org.ltxfleet.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.gateway.webhook.SigningKeys;

class UploadTokensTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final UploadTokens.Grant GRANT = new UploadTokens.Grant("key-1", "uploads/key-1/u/data.zip",
            "application/zip", null, NOW.plusSeconds(3600).getEpochSecond(), 600L);

    @TempDir
    Path dir;

    @Test
    void aGatewaySharingTheKeyFileAcceptsTheTokenUntilItExpires() throws Exception {
        var issuer = new UploadTokens(SigningKeys.load(dir.resolve("keys.json")));
        var other = new UploadTokens(SigningKeys.load(dir.resolve("keys.json")));
        String token = issuer.issue(GRANT);
        assertThat(other.verify(token, NOW)).contains(GRANT);
        assertThat(other.verify(token, NOW.plusSeconds(3600))).isEmpty();
    }

    @Test
    void aTokenStaysValidAfterARotation() throws Exception {
        var keys = SigningKeys.load(dir.resolve("keys.json"));
        var tokens = new UploadTokens(keys);
        String token = tokens.issue(GRANT);
        keys.rotate();
        assertThat(tokens.verify(token, NOW)).contains(GRANT);
    }

    @Test
    void forgedTamperedAndMalformedTokensAreRefused() throws Exception {
        var tokens = new UploadTokens(SigningKeys.load(dir.resolve("keys.json")));
        var stranger = new UploadTokens(SigningKeys.load(dir.resolve("other.json")));
        String token = tokens.issue(GRANT);
        String[] parts = token.split("\\.");
        String otherPayload = stranger.issue(new UploadTokens.Grant("key-2", "uploads/key-1/u/data.zip",
                "application/zip", null, GRANT.expiresAt(), null)).split("\\.")[0];

        assertThat(tokens.verify(stranger.issue(GRANT), NOW)).as("signed by another key file").isEmpty();
        assertThat(tokens.verify(otherPayload + "." + parts[1] + "." + parts[2], NOW)).as("payload swapped").isEmpty();
        assertThat(tokens.verify(parts[0] + "." + parts[1] + "." + parts[2].substring(1), NOW)).isEmpty();
        for (String bad : new String[] {null, "", "a.b", "a.b.c.d", "!!!.???.***", parts[0] + ".." + parts[2]}) {
            assertThat(tokens.verify(bad, NOW)).as(String.valueOf(bad)).isEmpty();
        }
    }
}
