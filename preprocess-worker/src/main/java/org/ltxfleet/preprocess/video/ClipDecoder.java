package org.ltxfleet.preprocess.video;

import java.nio.file.Path;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.ltxfleet.common.job.Bucket;

/**
 * Decodes a clip's video stream (audio is never decoded) and converts it in FFmpeg's own filter
 * graph to the target rate and bucket: {@code fps} (drops or repeats frames by timestamp, as the
 * ffmpeg command line does), scale to fill with Lanczos, center crop, RGB. The native graph does
 * the per-pixel work; Java only receives the finished frames.
 */
public final class ClipDecoder {

    /** Threads for decoding and for the scaler: the work of one clip uses every core. */
    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

    /** What the container says about a clip. */
    public record Probe(String codec, int width, int height, double fps, double seconds, int frames) {
    }

    private ClipDecoder() {
    }

    /** Reads the container's description; an unreadable file raises {@link UndecodableClipException}. */
    public static Probe probe(Path file) throws UndecodableClipException {
        try (var grabber = open(file)) {
            return new Probe(grabber.getVideoCodecName(), grabber.getImageWidth(), grabber.getImageHeight(),
                    grabber.getFrameRate(), grabber.getLengthInTime() / 1e6, grabber.getLengthInVideoFrames());
        } catch (FrameGrabber.Exception e) {
            throw new UndecodableClipException(file, e);
        }
    }

    /**
     * Decodes the clip at {@code fps} frames a second, resized to fill {@code bucket} and center
     * cropped, calling {@code sink} for each frame in order. Returns the number of frames.
     */
    public static int decode(Path file, int fps, Bucket bucket, Consumer<VideoFrame> sink)
            throws UndecodableClipException {
        return decode(file, graph(fps, bucket), fps, bucket, sink);
    }

    /** Decodes a still image (PNG, JPEG, WebP, …), resized to fill {@code bucket} and center cropped. */
    public static VideoFrame decodeStill(Path file, Bucket bucket) throws UndecodableClipException {
        VideoFrame[] first = {null};
        decode(file, fit(bucket), 1, bucket, f -> {
            if (first[0] == null) {
                first[0] = f;
            }
        });
        if (first[0] == null) {
            throw new UndecodableClipException(file, new IllegalStateException("no picture in the file"));
        }
        return first[0];
    }

    /** The filter graph that converts a clip to {@code fps} and {@code bucket}, as the ffmpeg command line takes it. */
    public static String graph(int fps, Bucket bucket) {
        return "fps=" + fps + "," + fit(bucket);
    }

    private static String fit(Bucket bucket) {
        return "scale=" + bucket.width() + ":" + bucket.height()
                + ":force_original_aspect_ratio=increase:flags=lanczos:threads=" + THREADS
                + ",crop=" + bucket.width() + ":" + bucket.height()
                + ",format=rgb24";
    }

    private static int decode(Path file, String description, int fps, Bucket bucket, Consumer<VideoFrame> sink)
            throws UndecodableClipException {
        try (var grabber = open(file)) {
            var stream = grabber.getFormatContext().streams(grabber.getVideoStream());
            AVRational rate = stream.avg_frame_rate().num() > 0 ? stream.avg_frame_rate() : avutil.av_make_q(fps, 1);
            try (var graph = new NativeFilterGraph(description, stream.time_base(), rate)) {
                int count = 0;
                for (Frame frame; (frame = grabber.grabImage()) != null; ) {
                    graph.push((AVFrame) frame.opaque);
                    count = drain(graph, bucket, sink, count);
                }
                graph.finish();
                return drain(graph, bucket, sink, count);
            }
        } catch (FrameGrabber.Exception | NativeFilterGraph.FilterException e) {
            throw new UndecodableClipException(file, e);
        }
    }

    private static int drain(NativeFilterGraph graph, Bucket bucket, Consumer<VideoFrame> sink, int count)
            throws NativeFilterGraph.FilterException {
        for (AVFrame out; (out = graph.pull()) != null; ) {
            sink.accept(new VideoFrame(count++, graph.seconds(out), bucket.width(), bucket.height(), rgb(out, bucket)));
        }
        return count;
    }

    /** Copies the frame's packed RGB pixels, dropping any row padding FFmpeg added. */
    private static byte[] rgb(AVFrame frame, Bucket bucket) {
        BytePointer pixels = frame.data(0);
        int row = bucket.width() * 3;
        int stride = frame.linesize(0);
        byte[] out = new byte[row * bucket.height()];
        for (int y = 0; y < bucket.height(); y++) {
            pixels.position((long) y * stride).get(out, y * row, row);
        }
        return out;
    }

    private static FFmpegFrameGrabber open(Path file) throws FrameGrabber.Exception {
        var grabber = new FFmpegFrameGrabber(file.toFile());
        // The decoder's own frames, unconverted: the filter graph takes them as they are.
        grabber.setImageMode(FrameGrabber.ImageMode.RAW);
        grabber.setVideoOption("threads", Integer.toString(THREADS));
        grabber.setAudioStream(-1);
        grabber.start();
        if (grabber.getVideoStream() < 0 || grabber.getImageWidth() <= 0) {
            grabber.close();
            throw new FrameGrabber.Exception("no video stream");
        }
        return grabber;
    }

    static {
        // FFmpeg prints every container quirk to stderr; the worker logs what matters itself.
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }
}
