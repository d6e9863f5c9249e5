package org.ltxfleet.model.vae;

import org.ltxfleet.model.latent.Latent;

/**
 * The {@code tiny} preset's VAE: a fixed, deterministic transform (no weights) with LTX's geometry
 * and 128 channels. Each 32×32-pixel, 8-frame token holds the mean luma of its 4×4 cells of 8×8
 * pixels in each quarter of its frames (64 channels: frame pairs), and the mean of both chroma
 * planes per cell in each half (2 × 32 channels). Decoding interpolates cells bilinearly over the
 * frame and holds values over their frames, so frames come back blurred (8-pixel detail) but
 * recognisable. Values are normalised per channel group, as LTX normalises its latents.
 */
public final class TinyVae implements VideoVae {

    private static final int CELL = 8;
    private static final int CELLS = SPATIAL_FACTOR / CELL;
    private static final int CELL_COUNT = CELLS * CELLS;
    private static final int LUMA_PHASES = 4;
    private static final int CHROMA_PHASES = 2;
    private static final int CB_BASE = LUMA_PHASES * CELL_COUNT;
    private static final int CR_BASE = CB_BASE + CHROMA_PHASES * CELL_COUNT;
    private static final int CHANNELS = CR_BASE + CHROMA_PHASES * CELL_COUNT;
    private static final float LUMA_MEAN = 0.45f;
    private static final float LUMA_STD = 0.25f;
    private static final float CHROMA_STD = 0.08f;

    @Override
    public String id() {
        return "tiny-vae-v1";
    }

    @Override
    public int latentChannels() {
        return CHANNELS;
    }

    @Override
    public Latent encode(PixelVideo video) {
        int latentFrames = VideoVae.latentFrames(video.frameCount());
        checkSize(video.height(), video.width());
        int gridH = video.height() / CELL;
        int gridW = video.width() / CELL;
        int tokensH = video.height() / SPATIAL_FACTOR;
        int tokensW = video.width() / SPATIAL_FACTOR;
        int plane = latentFrames * tokensH * tokensW;
        float[] data = new float[CHANNELS * plane];
        float[][] sums = new float[3][gridH * gridW];
        for (int lf = 0; lf < latentFrames; lf++) {
            int first = lf == 0 ? 0 : (lf - 1) * TEMPORAL_FACTOR + 1;
            int count = lf == 0 ? 1 : TEMPORAL_FACTOR;
            for (int phase = 0; phase < LUMA_PHASES; phase++) {
                int from = lf == 0 ? 0 : first + phase * 2;
                int frames = lf == 0 ? 1 : 2;
                cellMeans(video, from, frames, sums);
                scatter(data, plane, lf, tokensH, tokensW, gridW, sums[0], phase * CELL_COUNT, LUMA_MEAN, LUMA_STD);
            }
            for (int phase = 0; phase < CHROMA_PHASES; phase++) {
                int from = lf == 0 ? 0 : first + phase * 4;
                int frames = lf == 0 ? 1 : count / 2;
                cellMeans(video, from, frames, sums);
                scatter(data, plane, lf, tokensH, tokensW, gridW, sums[1], CB_BASE + phase * CELL_COUNT, 0, CHROMA_STD);
                scatter(data, plane, lf, tokensH, tokensW, gridW, sums[2], CR_BASE + phase * CELL_COUNT, 0, CHROMA_STD);
            }
        }
        return new Latent(CHANNELS, latentFrames, tokensH, tokensW, data);
    }

    @Override
    public PixelVideo decode(Latent latent) {
        if (latent.channels() != CHANNELS) {
            throw new IllegalArgumentException("the tiny VAE decodes " + CHANNELS + "-channel latents, got " + latent.channels());
        }
        int height = latent.height() * SPATIAL_FACTOR;
        int width = latent.width() * SPATIAL_FACTOR;
        int gridH = height / CELL;
        int gridW = width / CELL;
        int plane = latent.frames() * latent.height() * latent.width();
        byte[][] frames = new byte[VideoVae.pixelFrames(latent.frames())][];
        float[][] grid = new float[3][gridH * gridW];
        for (int f = 0; f < frames.length; f++) {
            int lf = f == 0 ? 0 : (f - 1) / TEMPORAL_FACTOR + 1;
            int local = f == 0 ? 0 : (f - 1) % TEMPORAL_FACTOR;
            gather(latent, plane, lf, gridW, grid[0], (local / 2) * CELL_COUNT, LUMA_MEAN, LUMA_STD);
            gather(latent, plane, lf, gridW, grid[1], CB_BASE + (local / 4) * CELL_COUNT, 0, CHROMA_STD);
            gather(latent, plane, lf, gridW, grid[2], CR_BASE + (local / 4) * CELL_COUNT, 0, CHROMA_STD);
            frames[f] = render(grid, gridH, gridW, height, width);
        }
        return new PixelVideo(height, width, frames);
    }

    private static void checkSize(int height, int width) {
        if (height % SPATIAL_FACTOR != 0 || width % SPATIAL_FACTOR != 0 || height == 0 || width == 0) {
            throw new IllegalArgumentException("frame size " + width + "×" + height + " is not a multiple of 32");
        }
    }

    /** Mean Y, Cb, Cr (RGB in [0, 1]) of each 8×8 cell over {@code frames} frames from {@code from}. */
    private static void cellMeans(PixelVideo video, int from, int frames, float[][] out) {
        int width = video.width();
        int gridW = width / CELL;
        for (float[] plane : out) {
            java.util.Arrays.fill(plane, 0);
        }
        float weight = 1f / (255f * CELL * CELL * frames);
        for (int f = from; f < from + frames; f++) {
            byte[] rgb = video.frames()[f];
            for (int y = 0; y < video.height(); y++) {
                int rowCell = (y / CELL) * gridW;
                int offset = y * width * 3;
                for (int x = 0; x < width; x++) {
                    int r = rgb[offset] & 0xFF;
                    int g = rgb[offset + 1] & 0xFF;
                    int b = rgb[offset + 2] & 0xFF;
                    offset += 3;
                    float luma = 0.299f * r + 0.587f * g + 0.114f * b;
                    int cell = rowCell + x / CELL;
                    out[0][cell] += luma * weight;
                    out[1][cell] += (b - luma) * 0.564f * weight;
                    out[2][cell] += (r - luma) * 0.713f * weight;
                }
            }
        }
    }

    /** Writes a cell grid into the latent's channels {@code base..base+15} of latent frame {@code lf}. */
    private static void scatter(float[] data, int plane, int lf, int tokensH, int tokensW, int gridW, float[] grid,
                                int base, float mean, float std) {
        for (int ty = 0; ty < tokensH; ty++) {
            for (int tx = 0; tx < tokensW; tx++) {
                int token = (lf * tokensH + ty) * tokensW + tx;
                for (int cy = 0; cy < CELLS; cy++) {
                    for (int cx = 0; cx < CELLS; cx++) {
                        float value = grid[(ty * CELLS + cy) * gridW + tx * CELLS + cx];
                        data[(base + cy * CELLS + cx) * plane + token] = (value - mean) / std;
                    }
                }
            }
        }
    }

    private static void gather(Latent latent, int plane, int lf, int gridW, float[] grid, int base, float mean, float std) {
        float[] data = latent.data();
        for (int ty = 0; ty < latent.height(); ty++) {
            for (int tx = 0; tx < latent.width(); tx++) {
                int token = (lf * latent.height() + ty) * latent.width() + tx;
                for (int cy = 0; cy < CELLS; cy++) {
                    for (int cx = 0; cx < CELLS; cx++) {
                        grid[(ty * CELLS + cy) * gridW + tx * CELLS + cx] =
                                data[(base + cy * CELLS + cx) * plane + token] * std + mean;
                    }
                }
            }
        }
    }

    /** Bilinear interpolation between cell centres, then YCbCr → RGB24. */
    private static byte[] render(float[][] grid, int gridH, int gridW, int height, int width) {
        byte[] rgb = new byte[height * width * 3];
        int offset = 0;
        for (int y = 0; y < height; y++) {
            float gy = Math.max(0, Math.min(gridH - 1, (y + 0.5f) / CELL - 0.5f));
            int y0 = (int) gy;
            int y1 = Math.min(gridH - 1, y0 + 1);
            float wy = gy - y0;
            for (int x = 0; x < width; x++) {
                float gx = Math.max(0, Math.min(gridW - 1, (x + 0.5f) / CELL - 0.5f));
                int x0 = (int) gx;
                int x1 = Math.min(gridW - 1, x0 + 1);
                float wx = gx - x0;
                float luma = bilinear(grid[0], gridW, y0, y1, x0, x1, wy, wx);
                float cb = bilinear(grid[1], gridW, y0, y1, x0, x1, wy, wx);
                float cr = bilinear(grid[2], gridW, y0, y1, x0, x1, wy, wx);
                float r = luma + cr / 0.713f;
                float b = luma + cb / 0.564f;
                float g = (luma - 0.299f * r - 0.114f * b) / 0.587f;
                rgb[offset++] = toByte(r);
                rgb[offset++] = toByte(g);
                rgb[offset++] = toByte(b);
            }
        }
        return rgb;
    }

    private static float bilinear(float[] grid, int gridW, int y0, int y1, int x0, int x1, float wy, float wx) {
        float top = grid[y0 * gridW + x0] * (1 - wx) + grid[y0 * gridW + x1] * wx;
        float bottom = grid[y1 * gridW + x0] * (1 - wx) + grid[y1 * gridW + x1] * wx;
        return top * (1 - wy) + bottom * wy;
    }

    private static byte toByte(float value) {
        return (byte) Math.round(Math.max(0, Math.min(1, value)) * 255);
    }
}
