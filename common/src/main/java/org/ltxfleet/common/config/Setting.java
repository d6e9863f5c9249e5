package org.ltxfleet.common.config;

import java.util.Locale;

/**
 * One setting of the fleet: key, type, default, allowed range and what it does. Every setting is
 * declared once, in {@link Settings}; README's configuration table is generated from there
 * ({@link SettingsTable}) and a test keeps the two equal.
 *
 * @param <T> String, Integer, Long, Double or Boolean
 */
public final class Setting<T> {

    private enum Kind { TEXT, INTEGER, LONG, DECIMAL, FLAG }

    private final String key;
    private final Kind kind;
    private final T defaultValue;
    private final double min;
    private final double max;
    private final String doc;
    private final String defaultText;

    private Setting(String key, Kind kind, T defaultValue, double min, double max, String doc, String defaultText) {
        this.key = key;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.doc = doc;
        this.defaultText = defaultText;
    }

    /** Free text; {@code defaultValue} may be null (unset). */
    public static Setting<String> text(String key, String defaultValue, String doc) {
        return new Setting<>(key, Kind.TEXT, defaultValue, 0, 0, doc, null);
    }

    /** A whole number from {@code min} to {@code max}. */
    public static Setting<Integer> integer(String key, int defaultValue, int min, int max, String doc) {
        return new Setting<>(key, Kind.INTEGER, defaultValue, min, max, doc, null);
    }

    /** A long whole number from {@code min} to {@code max}. */
    public static Setting<Long> longValue(String key, long defaultValue, long min, long max, String doc) {
        return new Setting<>(key, Kind.LONG, defaultValue, min, max, doc, null);
    }

    /** A number from {@code min} to {@code max}. */
    public static Setting<Double> decimal(String key, double defaultValue, double min, double max, String doc) {
        return new Setting<>(key, Kind.DECIMAL, defaultValue, min, max, doc, null);
    }

    /** true or false (also yes/no, 1/0). */
    public static Setting<Boolean> flag(String key, boolean defaultValue, String doc) {
        return new Setting<>(key, Kind.FLAG, defaultValue, 0, 0, doc, null);
    }

    /** This setting with its default described in words (one that depends on the machine or on other settings). */
    public Setting<T> defaultShownAs(String text) {
        return new Setting<>(key, kind, defaultValue, min, max, doc, text);
    }

    public String key() {
        return key;
    }

    public String doc() {
        return doc;
    }

    /** The default when the setting is unset (null: none, or one that depends on the machine). */
    public T defaultValue() {
        return defaultValue;
    }

    /** The environment variable that overrides it. */
    public String envName() {
        return FleetConfig.envName(key);
    }

    /** The default as the README shows it. */
    public String defaultText() {
        if (defaultText != null) {
            return defaultText;
        }
        if (defaultValue == null) {
            return "—";
        }
        return switch (kind) {
            case TEXT -> "`" + defaultValue + "`";
            case DECIMAL -> number((Double) defaultValue);
            default -> String.valueOf(defaultValue);
        };
    }

    /** Its value in {@code config}, else its default; a malformed or out-of-range value fails naming it. */
    public T read(FleetConfig config) {
        return read(config, defaultValue);
    }

    /** Its value in {@code config}, else {@code fallback} (for defaults that depend on the machine). */
    @SuppressWarnings("unchecked")
    public T read(FleetConfig config, T fallback) {
        String raw = config.string(key, null);
        if (raw == null) {
            return fallback;
        }
        Object value = switch (kind) {
            case TEXT -> raw;
            case INTEGER -> (int) inRange(parse(raw), raw);
            case LONG -> (long) inRange(parse(raw), raw);
            case DECIMAL -> inRange(parseDecimal(raw), raw);
            case FLAG -> switch (raw.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1" -> true;
                case "false", "no", "0" -> false;
                default -> throw invalid(raw, "true or false");
            };
        };
        return (T) value;
    }

    private double parse(String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw invalid(raw, "a whole number");
        }
    }

    private double parseDecimal(String raw) {
        try {
            double value = Double.parseDouble(raw);
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw invalid(raw, "a number");
    }

    private double inRange(double value, String raw) {
        if (value < min || value > max) {
            throw invalid(raw, "from " + number(min) + " to " + number(max));
        }
        return value;
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private IllegalArgumentException invalid(String raw, String expected) {
        return new IllegalArgumentException("setting " + key + " (" + envName() + ") must be " + expected + ", got '"
                + raw + "'");
    }

    @Override
    public String toString() {
        return key;
    }
}
