package org.ltxfleet.model.base;

import java.util.SplittableRandom;
import org.ltxfleet.model.vae.PixelVideo;

/**
 * Seeded synthetic clips for the {@code tiny} base model's pre-training and for tests: a coloured
 * disc or square moving in a straight line over a two-colour gradient, with a caption naming the
 * colour, shape and direction. Plain motion between a first and a last frame is exactly what the
 * interpolation objective asks for.
 */
public final class PatternClips {

    private static final String[] COLOURS = {"red", "green", "blue", "yellow", "white", "purple"};
    private static final int[][] RGB = {{230, 40, 40}, {40, 200, 60}, {40, 80, 230}, {240, 220, 40}, {245, 245, 245},
            {160, 50, 200}};

    /** A generated clip and its caption. */
    public record Clip(PixelVideo video, String caption) {
    }

    private PatternClips() {
    }

    /** Clip number {@code index} of the stream seeded by {@code seed}. */
    public static Clip clip(long seed, int index, int frames, int height, int width) {
        var random = new SplittableRandom(seed * 1_000_003L + index);
        int colour = random.nextInt(COLOURS.length);
        boolean disc = random.nextBoolean();
        double size = Math.min(height, width) * (0.15 + 0.2 * random.nextDouble());
        double x0 = width * (0.2 + 0.6 * random.nextDouble());
        double y0 = height * (0.2 + 0.6 * random.nextDouble());
        double angle = random.nextDouble() * 2 * Math.PI;
        double travel = Math.min(height, width) * (0.2 + 0.3 * random.nextDouble());
        double dx = StrictMath.cos(angle) * travel;
        double dy = StrictMath.sin(angle) * travel;
        int[] top = {random.nextInt(120), random.nextInt(120), random.nextInt(120)};
        int[] bottom = {random.nextInt(120), random.nextInt(120), random.nextInt(120)};
        byte[][] pixels = new byte[frames][];
        for (int f = 0; f < frames; f++) {
            double t = frames == 1 ? 0 : f / (double) (frames - 1);
            pixels[f] = frame(height, width, top, bottom, RGB[colour], disc, x0 + dx * t, y0 + dy * t, size / 2);
        }
        String caption = "a " + COLOURS[colour] + (disc ? " disc" : " square") + " moving " + direction(dx, dy);
        return new Clip(new PixelVideo(height, width, pixels), caption);
    }

    private static String direction(double dx, double dy) {
        String vertical = Math.abs(dy) > Math.abs(dx) / 2 ? (dy > 0 ? "down" : "up") : "";
        String horizontal = Math.abs(dx) > Math.abs(dy) / 2 ? (dx > 0 ? "right" : "left") : "";
        return (vertical + " " + horizontal).trim();
    }

    private static byte[] frame(int height, int width, int[] top, int[] bottom, int[] colour, boolean disc,
                                double cx, double cy, double radius) {
        byte[] rgb = new byte[height * width * 3];
        int offset = 0;
        for (int y = 0; y < height; y++) {
            double mix = y / (double) Math.max(1, height - 1);
            for (int x = 0; x < width; x++) {
                double ddx = x + 0.5 - cx;
                double ddy = y + 0.5 - cy;
                boolean inside = disc ? ddx * ddx + ddy * ddy <= radius * radius
                        : Math.abs(ddx) <= radius && Math.abs(ddy) <= radius;
                for (int c = 0; c < 3; c++) {
                    int value = inside ? colour[c] : (int) Math.round(top[c] * (1 - mix) + bottom[c] * mix);
                    rgb[offset++] = (byte) value;
                }
            }
        }
        return rgb;
    }
}
