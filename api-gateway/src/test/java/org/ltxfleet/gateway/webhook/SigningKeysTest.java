package org.ltxfleet.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {

    @Test
    void keepsTheSigningKeyAcrossRestarts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys.json");
        String kid = SigningKeys.load(file).current().kid();
        assertThat(SigningKeys.load(file).current().kid()).isEqualTo(kid);
        assertThat(Files.readString(file)).contains(kid);
    }

    @Test
    void rotationSignsWithTheNewKeyAndKeepsTheOldOnePublished(@TempDir Path dir) throws Exception {
        SigningKeys keys = SigningKeys.load(dir.resolve("keys.json"));
        String old = keys.current().kid();
        byte[] body = "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8);
        var signedBefore = new WebhookSigner(keys).headers("d1", "r1", "u1", body, 1_700_000_000L);

        keys.rotate();
        assertThat(keys.current().kid()).isNotEqualTo(old);
        JsonNode jwks = keys.jwks().get("keys");
        assertThat(jwks).extracting(k -> k.get("kid").asText()).containsExactly(keys.current().kid(), old);
        // An attempt signed before the rotation still verifies against the published set.
        assertThat(verifiesWithPublished(jwks, signedBefore, body)).isTrue();
        var signedAfter = new WebhookSigner(keys).headers("d1", "r1", "u1", body, 1_700_000_100L);
        assertThat(signedAfter.get("X-Fal-Webhook-Key-Id")).isEqualTo(keys.current().kid());
        assertThat(verifiesWithPublished(jwks, signedAfter, body)).isTrue();
    }

    @Test
    void publishesOnlyTheNewestKeys(@TempDir Path dir) throws Exception {
        SigningKeys keys = SigningKeys.load(dir.resolve("keys.json"));
        for (int i = 0; i < 4; i++) {
            keys.rotate();
        }
        assertThat(keys.jwks().get("keys")).hasSize(SigningKeys.PUBLISHED);
    }

    @Test
    void aMissingFileWhereNoneCanBeMadeFailsNamingTheSettingThePathAndTheCommand(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret");
        Path file = secret.resolve("webhook-keys.json");
        try (var readOnly = ReadOnlyDirectory.of(secret)) {
            assertThatThrownBy(() -> SigningKeys.load(file))
                    .hasMessageContaining("webhook.keys.file").hasMessageContaining(file.toString())
                    .hasMessageContaining("./fleet keys webhook --out")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            assertThat(file).doesNotExist();
        }
    }

    @Test
    void aGatewayWithoutItsKeyFileFailsAtStartBeforeItOpensAnything(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret");
        Path file = secret.resolve("webhook-keys.json");
        // Nothing listens on the broker's or the store's address: the start must fail before it reaches for them.
        var config = org.ltxfleet.common.config.FleetConfig.empty()
                .with("kafka.bootstrap.servers", "127.0.0.1:1").with("s3.endpoint", "http://127.0.0.1:1")
                .with("gateway.keys.file", dir.resolve("api-keys.json").toString())
                .with("webhook.keys.file", file.toString());
        try (var readOnly = ReadOnlyDirectory.of(secret)) {
            assertThatThrownBy(() -> org.ltxfleet.gateway.Gateway.start(config))
                    .isInstanceOf(MissingKeyFileException.class).hasMessageContaining(file.toString());
        }
    }

    private static boolean verifiesWithPublished(JsonNode jwks, java.util.Map<String, String> headers, byte[] body)
            throws Exception {
        String message = headers.get("X-Fal-Webhook-Request-Id") + "\n" + headers.get("X-Fal-Webhook-User-Id") + "\n"
                + headers.get("X-Fal-Webhook-Timestamp") + "\n"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        byte[] prefix = HexFormat.of().parseHex("302a300506032b6570032100");
        for (JsonNode jwk : jwks) {
            byte[] raw = Base64.getUrlDecoder().decode(jwk.get("x").asText());
            byte[] der = new byte[prefix.length + raw.length];
            System.arraycopy(prefix, 0, der, 0, prefix.length);
            System.arraycopy(raw, 0, der, prefix.length, raw.length);
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)));
            verifier.update(message.getBytes(StandardCharsets.UTF_8));
            if (verifier.verify(HexFormat.of().parseHex(headers.get("X-Fal-Webhook-Signature")))) {
                return true;
            }
        }
        return false;
    }
}
