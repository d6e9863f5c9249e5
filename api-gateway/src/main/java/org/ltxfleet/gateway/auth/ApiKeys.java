package org.ltxfleet.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.io.Sha256;

/**
 * The API keys the gateway accepts. Only a SHA-256 of each secret is kept: the secrets are 256-bit
 * random strings, so a slow password hash would add latency without adding safety. Loaded from a
 * JSON file {@code {"keys":[{"id":…,"secret_sha256":…,"name":…}]}}. Thread-safe.
 */
public final class ApiKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, byte[]> hashes = new ConcurrentHashMap<>();

    /** An empty key set. */
    public ApiKeys() {
    }

    /** Reads the keys file; a missing file is an empty key set. */
    public static ApiKeys load(Path file) {
        var keys = new ApiKeys();
        if (file == null || !Files.exists(file)) {
            return keys;
        }
        try {
            JsonNode root = Json.readTree(Files.readAllBytes(file));
            for (JsonNode key : root.path("keys")) {
                keys.hashes.put(key.path("id").asText(), HexFormat.of().parseHex(key.path("secret_sha256").asText()));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read API keys file " + file + ": " + e.getMessage(), e);
        }
        return keys;
    }

    /** Adds a key given as {@code id:secret}; the secret is hashed at once. */
    public ApiKeys add(String credentials) {
        int colon = credentials.indexOf(':');
        if (colon <= 0 || colon == credentials.length() - 1) {
            throw new IllegalArgumentException("an API key is written id:secret");
        }
        hashes.put(credentials.substring(0, colon), Sha256.of(credentials.substring(colon + 1)));
        return this;
    }

    /** Writes the key ids and secret hashes (never secrets) to a file. */
    public void save(Path file) throws IOException {
        var root = Json.object();
        var list = root.putArray("keys");
        hashes.forEach((id, hash) -> list.addObject().put("id", id).put("secret_sha256", HexFormat.of().formatHex(hash)));
        // Hashes only, but a list of key ids and hashes is still nobody else's to read.
        org.ltxfleet.common.io.SecretFiles.write(file, Json.toBytes(root));
    }

    /** A fresh random key {@code id:secret}. */
    public static String generate() {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        return HexFormat.of().formatHex(id) + ":" + HexFormat.of().formatHex(secret);
    }

    /** The key id of an {@code Authorization} header value {@code Key id:secret}, if it is valid. */
    public Optional<String> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Key ", 0, 4)) {
            return Optional.empty();
        }
        String credentials = authorization.substring(4).trim();
        int colon = credentials.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String id = credentials.substring(0, colon);
        byte[] expected = hashes.get(id);
        // Hash even for unknown ids so timing does not tell which ids exist.
        byte[] actual = Sha256.of(credentials.substring(colon + 1));
        return expected != null && MessageDigest.isEqual(expected, actual) ? Optional.of(id) : Optional.empty();
    }
}
