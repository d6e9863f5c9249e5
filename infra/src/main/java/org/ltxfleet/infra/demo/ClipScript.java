package org.ltxfleet.infra.demo;

import java.util.Random;

/**
 * Everything that varies between clips: what moves, how, and over which background.
 * Pure data, so the same script always renders the same pixels.
 */
record ClipScript(
        ShapeKind shape,
        NamedColor color,
        Trajectory trajectory,
        SizeChange sizeChange,
        Spin spin,
        NamedColor background) {

    /** How the object's size evolves over the clip. */
    enum SizeChange {
        CONSTANT(1.0, ""),
        GROWING(1.8, " while growing larger"),
        SHRINKING(0.5, " while shrinking");

        final double endScale;
        final String phrase;

        SizeChange(double endScale, String phrase) {
            this.endScale = endScale;
            this.phrase = phrase;
        }
    }

    /** Rotation over the clip; half a turn is enough to read clearly without looking jittery. */
    enum Spin {
        NONE(0.0, ""),
        CLOCKWISE(Math.PI, "spinning clockwise"),
        COUNTERCLOCKWISE(-Math.PI, "spinning counterclockwise");

        final double totalRadians;
        final String phrase;

        Spin(double totalRadians, String phrase) {
            this.totalRadians = totalRadians;
            this.phrase = phrase;
        }
    }

    /**
     * Picks the script for clip {@code index}. Trajectories are dealt round-robin from a
     * seed-dependent offset so that up to ten clips never repeat a path.
     */
    static ClipScript forClip(long seed, int index) {
        Random random = new Random(mix(seed, index));
        Trajectory[] paths = Trajectory.values();
        int offset = Math.floorMod(new Random(seed).nextInt(), paths.length);
        ShapeKind shape = pick(random, ShapeKind.values());
        Spin spin = shape.rotationVisible() ? pick(random, Spin.values()) : Spin.NONE;
        return new ClipScript(
                shape,
                NamedColor.OBJECT_COLORS.get(random.nextInt(NamedColor.OBJECT_COLORS.size())),
                paths[(offset + index) % paths.length],
                pick(random, SizeChange.values()),
                spin,
                NamedColor.BACKGROUND_COLORS.get(random.nextInt(NamedColor.BACKGROUND_COLORS.size())));
    }

    /** One plain-English sentence describing the motion, e.g. for a training caption. */
    String caption() {
        StringBuilder sb = new StringBuilder()
                .append(article(color.name())).append(' ').append(color.name()).append(' ').append(shape.noun())
                .append(' ').append(trajectory.phrase())
                .append(sizeChange.phrase);
        if (spin != Spin.NONE) {
            sb.append(sizeChange == SizeChange.CONSTANT ? " while " : " and ").append(spin.phrase);
        }
        return sb.append(", over a ").append(background.name()).append(" gradient background with a faint grid")
                .toString();
    }

    private static String article(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }

    private static <T> T pick(Random random, T[] values) {
        return values[random.nextInt(values.length)];
    }

    // SplitMix64 finaliser: neighbouring (seed, index) pairs get unrelated Random streams.
    private static long mix(long seed, int index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
