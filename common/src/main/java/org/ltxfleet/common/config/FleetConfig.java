package org.ltxfleet.common.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The fleet's settings: a properties file, overridden by environment variables, overridden by
 * explicit values. The environment name of a key is {@code FLEET_} plus the key upper-cased with
 * dots and dashes as underscores ({@code kafka.bootstrap.servers} → {@code FLEET_KAFKA_BOOTSTRAP_SERVERS}).
 * Immutable; {@link #with} returns a copy. Typed values, defaults and ranges are read through
 * {@link Setting}.
 */
public final class FleetConfig {

    private final Map<String, String> values;
    private final Map<String, String> env;

    private FleetConfig(Map<String, String> values, Map<String, String> env) {
        this.values = Map.copyOf(values);
        this.env = Map.copyOf(env);
    }

    /** Settings from the file (if it exists) and the process environment. */
    public static FleetConfig load(Path file) {
        return load(file, System.getenv());
    }

    /** Settings from the file (if it exists) and the given environment. */
    public static FleetConfig load(Path file, Map<String, String> env) {
        var values = new TreeMap<String, String>();
        if (file != null && Files.isRegularFile(file)) {
            var props = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(reader);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
            }
            props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k).trim()));
        }
        return new FleetConfig(values, env);
    }

    /** Settings with no file and no environment: defaults only, for tests. */
    public static FleetConfig empty() {
        return new FleetConfig(Map.of(), Map.of());
    }

    /** A copy with one key set; wins over file and environment. */
    public FleetConfig with(String key, String value) {
        var copy = new TreeMap<>(values);
        copy.put(key, value);
        var envCopy = new TreeMap<>(env);
        envCopy.remove(envName(key));
        return new FleetConfig(copy, envCopy);
    }

    /** The environment variable that overrides a key. */
    public static String envName(String key) {
        return "FLEET_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The value of a key, or the fallback. */
    public String string(String key, String fallback) {
        String fromEnv = env.get(envName(key));
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        String value = values.get(key);
        return value == null || value.isBlank() ? fallback : value;
    }

    /**
     * Every key under {@code prefix} (e.g. {@code kafka.}), from the file and from the environment
     * ({@code FLEET_KAFKA_SASL_MECHANISM} is {@code kafka.sasl.mechanism}: underscores read as dots,
     * so only for families of keys that have no underscores, as Kafka's have none).
     */
    public Map<String, String> withPrefix(String prefix) {
        var found = new TreeMap<String, String>();
        values.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                found.put(key, value);
            }
        });
        String envPrefix = envName(prefix);
        env.forEach((name, value) -> {
            if (name.startsWith(envPrefix) && name.length() > envPrefix.length() && !value.isBlank()) {
                found.put(name.substring("FLEET_".length()).toLowerCase(Locale.ROOT).replace('_', '.'), value.trim());
            }
        });
        return found;
    }
}
