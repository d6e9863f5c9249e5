package org.ltxfleet.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.ltxfleet.model.vae.PixelVideo;

/** Writes videos one after another into one H.264 mp4 (yuv420p, so every player takes it). */
final class ReelWriter {

    private ReelWriter() {
    }

    static void write(List<PixelVideo> videos, double fps, Path file) throws IOException {
        if (videos.isEmpty()) {
            throw new IllegalArgumentException("a reel needs at least one video");
        }
        int width = videos.get(0).width();
        int height = videos.get(0).height();
        try (var recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 0)) {
            recorder.setFormat("mp4");
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(fps);
            recorder.setVideoQuality(18);
            recorder.start();
            var frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
            for (PixelVideo video : videos) {
                for (byte[] rgb : video.frames()) {
                    ByteBuffer buffer = (ByteBuffer) frame.image[0];
                    buffer.clear();
                    int stride = frame.imageStride;
                    for (int y = 0; y < height; y++) {
                        buffer.position(y * stride);
                        buffer.put(rgb, y * width * 3, width * 3);
                    }
                    buffer.rewind();
                    recorder.record(frame, avutil.AV_PIX_FMT_RGB24);
                }
            }
            recorder.stop();
        } catch (FFmpegFrameRecorder.Exception e) {
            throw new IOException("could not write the validation reel: " + e.getMessage(), e);
        }
    }
}
