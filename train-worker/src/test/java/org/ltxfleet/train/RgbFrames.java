package org.ltxfleet.train;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/** Decodes a video's frames as packed RGB24 rows, scaled by FFmpeg to the size asked for. */
final class RgbFrames {

    private RgbFrames() {
    }

    /** The first {@code count} frames of {@code video} (all of them when it has fewer) at {@code width × height}. */
    static List<byte[]> read(Path video, int width, int height, int count) throws Exception {
        var frames = new ArrayList<byte[]>();
        try (var grabber = new FFmpegFrameGrabber(video.toFile())) {
            grabber.setImageWidth(width);
            grabber.setImageHeight(height);
            grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
            grabber.start();
            Frame frame;
            while (frames.size() < count && (frame = grabber.grabImage()) != null) {
                frames.add(packed(frame, width, height));
            }
        }
        return frames;
    }

    private static byte[] packed(Frame frame, int width, int height) {
        ByteBuffer pixels = ((ByteBuffer) frame.image[0]).duplicate();
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            pixels.position(y * frame.imageStride);
            pixels.get(rgb, y * width * 3, width * 3);
        }
        return rgb;
    }
}
