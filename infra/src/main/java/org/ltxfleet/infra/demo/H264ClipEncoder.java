package org.ltxfleet.infra.demo;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.IntFunction;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/** Encodes rendered frames into an H.264 / yuv420p MP4 using FFmpeg's libopenh264 encoder. */
final class H264ClipEncoder {

    /**
     * The bytedeco FFmpeg build is LGPL and ships OpenH264 rather than x264. FFmpegFrameRecorder
     * silently falls back to the codec id's (or, with no id, the container's: MPEG-4 Part 2 for
     * mp4) default encoder when a name is unknown, so {@link #requireEncoder()} checks up front.
     */
    static final String ENCODER_NAME = "libopenh264";

    /**
     * OpenH264 leaves faint ghost specks where the object has been on the static background and
     * only a key frame clears them; every 10 frames keeps them rare for about 12% more bytes
     * (and makes seeking in a training loader cheap).
     */
    static final int KEYFRAME_INTERVAL = 10;

    private H264ClipEncoder() {
    }

    /** True when the loaded FFmpeg natives provide {@value #ENCODER_NAME}. */
    static boolean encoderAvailable() {
        return avcodec_find_encoder_by_name(ENCODER_NAME) != null;
    }

    /** Fails fast instead of letting FFmpegFrameRecorder pick another encoder behind our back. */
    static void requireEncoder() {
        if (!encoderAvailable()) {
            throw new IllegalStateException("FFmpeg encoder '" + ENCODER_NAME + "' is not available in the loaded natives");
        }
    }

    /** Writes {@code frames} frames produced by {@code frameAt} to {@code mp4}. */
    static void encode(Path mp4, int width, int height, int fps, int frames, IntFunction<BufferedImage> frameAt)
            throws IOException {
        requireEncoder();
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(mp4.toFile(), width, height, 0);
             Java2DFrameConverter converter = new Java2DFrameConverter()) {
            recorder.setFormat("mp4");
            recorder.setVideoCodec(AV_CODEC_ID_H264);
            recorder.setVideoCodecName(ENCODER_NAME);
            recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(fps);
            recorder.setGopSize(KEYFRAME_INTERVAL);
            recorder.setVideoBitrate(bitrateFor(width, height, fps));
            // One encoder thread: output then does not depend on the host's core count (OpenH264
            // slices per thread), and callers parallelise across clips instead.
            recorder.setVideoOption("threads", "1");
            // OpenH264's rate control may otherwise drop frames, breaking the exact frame count.
            recorder.setVideoOption("allow_skip_frames", "0");
            recorder.start();
            for (int i = 0; i < frames; i++) {
                recorder.record(converter.convert(frameAt.apply(i)));
            }
            recorder.stop();
        } catch (FFmpegFrameRecorder.Exception e) {
            throw new IOException("Encoding " + mp4 + " failed", e);
        }
    }

    // About 0.25 bits per pixel. OpenH264's default quality rate control treats it as a ceiling and
    // undershoots on these flat scenes; raising it further changes nothing measurable.
    private static int bitrateFor(int width, int height, int fps) {
        return (int) Math.max(200_000L, Math.min(20_000_000L, (long) width * height * fps / 4));
    }
}
