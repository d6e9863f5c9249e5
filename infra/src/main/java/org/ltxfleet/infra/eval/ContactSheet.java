package org.ltxfleet.infra.eval;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.ltxfleet.model.vae.PixelVideo;

/**
 * A PNG of videos of the same clip one above the other (e.g. the ground truth, a sample, another
 * sample), each as the same evenly spaced frames from the first to the last: the first and last
 * columns are the keyframes, the columns between them what interpolation made. Frames are scaled
 * to a fixed cell size; rows and columns are parted by a thin dark line.
 */
public final class ContactSheet {

    /** Columns and cell width of the sheets the CLI writes: 49 frames at every 8th, 128 pixels a frame. */
    public static final int COLUMNS = 7;
    public static final int CELL = 128;
    static final int GAP = 4;
    private static final int GAP_RGB = 0x202020;

    private ContactSheet() {
    }

    /** The frame indices of {@code columns} columns over a {@code frames}-frame video: first and last included. */
    static int[] columns(int frames, int columns) {
        int count = Math.min(frames, columns);
        int[] picks = new int[count];
        for (int i = 0; i < count; i++) {
            picks[i] = count == 1 ? 0 : (int) Math.round(i * (frames - 1) / (double) (count - 1));
        }
        return picks;
    }

    /** Draws {@code rows} (same size and length) at {@code cell} pixels wide per frame. */
    public static BufferedImage draw(List<PixelVideo> rows, int columns, int cell) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a contact sheet needs at least one video");
        }
        PixelVideo first = rows.get(0);
        for (PixelVideo row : rows) {
            if (row.frameCount() != first.frameCount() || row.width() != first.width() || row.height() != first.height()) {
                throw new IllegalArgumentException("the videos of a contact sheet must have the same size and length");
            }
        }
        int[] picks = columns(first.frameCount(), columns);
        int cellHeight = Math.max(1, Math.round(cell * first.height() / (float) first.width()));
        var image = new BufferedImage(picks.length * (cell + GAP) + GAP, rows.size() * (cellHeight + GAP) + GAP,
                BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, GAP_RGB);
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            PixelVideo video = rows.get(r);
            for (int c = 0; c < picks.length; c++) {
                paint(image, video, picks[c], GAP + c * (cell + GAP), GAP + r * (cellHeight + GAP), cell, cellHeight);
            }
        }
        return image;
    }

    /** Writes {@link #draw} as a PNG. */
    public static Path write(List<PixelVideo> rows, int columns, int cell, Path png) throws IOException {
        ImageIO.write(draw(rows, columns, cell), "png", png.toFile());
        return png;
    }

    /** Frame {@code index} scaled by box averaging into the cell at ({@code left}, {@code top}). */
    private static void paint(BufferedImage image, PixelVideo video, int index, int left, int top, int width, int height) {
        byte[] rgb = video.frames()[index];
        for (int y = 0; y < height; y++) {
            int y0 = y * video.height() / height;
            int y1 = Math.max(y0 + 1, (y + 1) * video.height() / height);
            for (int x = 0; x < width; x++) {
                int x0 = x * video.width() / width;
                int x1 = Math.max(x0 + 1, (x + 1) * video.width() / width);
                long r = 0;
                long g = 0;
                long b = 0;
                for (int sy = y0; sy < y1; sy++) {
                    for (int sx = x0; sx < x1; sx++) {
                        int o = (sy * video.width() + sx) * 3;
                        r += rgb[o] & 0xFF;
                        g += rgb[o + 1] & 0xFF;
                        b += rgb[o + 2] & 0xFF;
                    }
                }
                long n = (long) (y1 - y0) * (x1 - x0);
                image.setRGB(left + x, top + y, (int) (r / n) << 16 | (int) (g / n) << 8 | (int) (b / n));
            }
        }
    }
}
