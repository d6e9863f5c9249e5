package org.ltxfleet.preprocess.video;

import java.util.List;
import org.ltxfleet.model.vae.PixelVideo;

/**
 * One training sample cut from a clip: exactly {@code number_of_frames} frames at the target rate
 * and bucket. Its keyframes are the first and last frame (and the middle one when asked).
 *
 * @param scene        which scene of the source clip it comes from, from 0
 * @param startSeconds source time of its first frame
 * @param endSeconds   source time of its last frame
 * @param resampled    whether frames were dropped or repeated to reach the frame count
 */
public record ClipWindow(int scene, double startSeconds, double endSeconds, boolean resampled,
                         List<VideoFrame> frames) {

    /** The frames as the VAE takes them. */
    public PixelVideo pixels() {
        VideoFrame first = frames.get(0);
        return new PixelVideo(first.height(), first.width(), frames.stream().map(VideoFrame::rgb).toArray(byte[][]::new));
    }

    /** Index of the middle keyframe. */
    public int middle() {
        return frames.size() / 2;
    }
}
