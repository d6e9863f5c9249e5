package org.ltxfleet.common.job;

/**
 * A frame size (width × height in pixels) that clips are resized to fill and center-cropped to.
 * Every size is a multiple of 32, the LTX VAE's spatial compression.
 */
public record Bucket(int width, int height) {

    /** The bucket of the seed endpoint's table (DESIGN.md "Buckets"). */
    public static Bucket of(Resolution resolution, AspectRatio aspect) {
        return switch (resolution) {
            case LOW -> pick(aspect, new Bucket(512, 288), new Bucket(512, 512), new Bucket(288, 512));
            case MEDIUM -> pick(aspect, new Bucket(768, 448), new Bucket(768, 768), new Bucket(448, 768));
            case HIGH -> pick(aspect, new Bucket(960, 544), new Bucket(960, 960), new Bucket(544, 960));
        };
    }

    private static Bucket pick(AspectRatio aspect, Bucket landscape, Bucket square, Bucket portrait) {
        return switch (aspect) {
            case LANDSCAPE -> landscape;
            case SQUARE -> square;
            case PORTRAIT -> portrait;
        };
    }
}
