package org.ltxfleet.preprocess.video;

/**
 * One decoded frame at the target size and rate: packed RGB, row-major, 3 bytes a pixel.
 *
 * @param index   frame number at the target rate, from 0
 * @param seconds presentation time in the source clip
 */
public record VideoFrame(int index, double seconds, int width, int height, byte[] rgb) {
}
