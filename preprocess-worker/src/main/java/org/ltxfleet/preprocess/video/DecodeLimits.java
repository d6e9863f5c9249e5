package org.ltxfleet.preprocess.video;

/**
 * What a clip or image may ask of a decoder, so hostile media cannot make a worker read files it
 * was not given, fill memory or decode forever.
 *
 * @param maxPixels  largest picture (width × height) opened; a larger one is undecodable
 * @param maxSeconds decoding stops at this point of a clip's timeline (and after as many
 *                   source frames as 240 fps would give), whatever the container claims
 */
public record DecodeLimits(long maxPixels, double maxSeconds) {

    /** 8K UHD fits (33.2 MP); ten minutes of any clip. */
    public static final DecodeLimits DEFAULT = new DecodeLimits(
            org.ltxfleet.common.config.Settings.PREPROCESS_MAX_CLIP_PIXELS.defaultValue(),
            org.ltxfleet.common.config.Settings.PREPROCESS_MAX_CLIP_SECONDS.defaultValue());

    /** FFmpeg demuxers a clip or image may be read with: the five containers and the still formats. */
    static final String FORMATS = String.join(",",
            "mov", "matroska", "avi",
            "png_pipe", "jpeg_pipe", "webp_pipe", "gif", "bmp_pipe", "tiff_pipe");

    public DecodeLimits {
        if (maxPixels < 1 || !(maxSeconds > 0)) {
            throw new IllegalArgumentException("decode limits must be positive, got " + maxPixels + " pixels and "
                    + maxSeconds + " s");
        }
    }

    /** Source frames read at most: a frame rate no camera exceeds, over {@link #maxSeconds}. */
    long maxSourceFrames() {
        return (long) Math.ceil(maxSeconds * 240);
    }
}
