package org.ltxfleet.gateway.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.ltxfleet.common.json.Json;

/**
 * The Ed25519 keys webhooks are signed with, kept in a file so they survive restarts (mount it as
 * a secret when several gateways share it). The newest key signs; the JWKS lists the newest
 * {@value #PUBLISHED} keys, so after a rotation receivers can still verify attempts signed with the
 * previous key. Thread-safe.
 */
public final class SigningKeys {

    static final int PUBLISHED = 3;
    /** DER prefix of an X.509 Ed25519 public key; the raw 32-byte key follows it. */
    private static final int X509_PREFIX = 12;

    /** One key: its id, when it was made, the private key and the raw public key. */
    public record SigningKey(String kid, Instant createdAt, PrivateKey privateKey, byte[] publicKey) {
    }

    private final Path file;
    private volatile List<SigningKey> keys;

    private SigningKeys(Path file, List<SigningKey> keys) {
        this.file = file;
        this.keys = List.copyOf(keys);
    }

    /**
     * Loads the keys file. A missing file is made, with a first key, where its directory may be
     * written (a local stack, compose's keys directory); where it may not (a Kubernetes Secret is a
     * read-only mount) this fails with {@link MissingKeyFileException}, which names the setting,
     * the path and the command that makes one, instead of an I/O error about a scratch file.
     */
    public static SigningKeys load(Path file) throws IOException {
        var keys = new ArrayList<SigningKey>();
        boolean existed = Files.exists(file);
        if (existed) {
            JsonNode root = Json.readTree(Files.readAllBytes(file));
            for (JsonNode key : root.path("keys")) {
                keys.add(read(key));
            }
        }
        var signingKeys = new SigningKeys(file, keys);
        if (keys.isEmpty()) {
            try {
                signingKeys.rotate();
            } catch (FileSystemException unwritable) {
                if (existed) {
                    throw unwritable;
                }
                throw new MissingKeyFileException(file, unwritable);
            }
        }
        return signingKeys;
    }

    /** The key that signs now. */
    public SigningKey current() {
        return keys.get(keys.size() - 1);
    }

    /** The key with this id, if this gateway knows it. */
    public java.util.Optional<SigningKey> find(String kid) {
        return keys.stream().filter(k -> k.kid().equals(kid)).findFirst();
    }

    /** Makes a new signing key; earlier ones stay published for receivers that verify late. */
    public synchronized SigningKey rotate() throws IOException {
        KeyPair pair;
        try {
            pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has Ed25519", e);
        }
        byte[] encoded = pair.getPublic().getEncoded();
        byte[] raw = Arrays.copyOfRange(encoded, X509_PREFIX, encoded.length);
        var key = new SigningKey(HexFormat.of().formatHex(raw, 0, 8), Instant.now(), pair.getPrivate(), raw);
        var next = new ArrayList<>(keys);
        next.add(key);
        save(next);
        keys = List.copyOf(next);
        return key;
    }

    /** The public keys as a JSON Web Key Set (RFC 8037: kty OKP, crv Ed25519). */
    public ObjectNode jwks() {
        ObjectNode root = Json.object();
        var array = root.putArray("keys");
        List<SigningKey> all = keys;
        for (SigningKey key : all.subList(Math.max(0, all.size() - PUBLISHED), all.size()).reversed()) {
            array.addObject().put("kty", "OKP").put("crv", "Ed25519").put("alg", "EdDSA").put("use", "sig")
                    .put("kid", key.kid())
                    .put("x", Base64.getUrlEncoder().withoutPadding().encodeToString(key.publicKey()));
        }
        return root;
    }

    private void save(List<SigningKey> all) throws IOException {
        ObjectNode root = Json.object();
        var array = root.putArray("keys");
        for (SigningKey key : all) {
            array.addObject().put("kid", key.kid()).put("created_at", key.createdAt().toString())
                    .put("private_pkcs8", Base64.getEncoder().encodeToString(key.privateKey().getEncoded()))
                    .put("public_x", Base64.getUrlEncoder().withoutPadding().encodeToString(key.publicKey()));
        }
        org.ltxfleet.common.io.SecretFiles.write(file, Json.toBytes(root));
    }

    private static SigningKey read(JsonNode key) throws IOException {
        try {
            PrivateKey privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(key.path("private_pkcs8").asText())));
            return new SigningKey(key.path("kid").asText(), Instant.parse(key.path("created_at").asText()),
                    privateKey, Base64.getUrlDecoder().decode(key.path("public_x").asText()));
        } catch (GeneralSecurityException | IllegalArgumentException | java.time.DateTimeException e) {
            throw new IOException("unreadable webhook signing key " + key.path("kid").asText() + ": " + e.getMessage(), e);
        }
    }
}
