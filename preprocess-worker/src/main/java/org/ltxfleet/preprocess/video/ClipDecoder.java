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

    /** Takes decoded frames in order; answers whether it wants more, so decoding can stop early. */
    @FunctionalInterface
    public interface FrameSink {
        boolean accept(VideoFrame frame);
    }

    /** Reads the container's description within {@link DecodeLimits#DEFAULT}. */
    public static Probe probe(Path file) throws UndecodableClipException {
        return probe(file, DecodeLimits.DEFAULT);
    }

    /** Reads the container's description; an unreadable or refused file raises {@link UndecodableClipException}. */
    public static Probe probe(Path file, DecodeLimits limits) throws UndecodableClipException {
        try (var grabber = open(file, limits)) {
            return new Probe(grabber.getVideoCodecName(), grabber.getImageWidth(), grabber.getImageHeight(),
                    grabber.getFrameRate(), grabber.getLengthInTime() / 1e6, grabber.getLengthInVideoFrames());
        } catch (FrameGrabber.Exception e) {
            throw new UndecodableClipException(file, e);
        }
    }

    /**
     * Decodes the whole clip (within {@link DecodeLimits#DEFAULT}) at {@code fps} frames a second,
     * resized to fill {@code bucket} and center cropped, calling {@code sink} for each frame in
     * order. Returns the number of frames.
     */
    public static int decode(Path file, int fps, Bucket bucket, Consumer<VideoFrame> sink)
            throws UndecodableClipException {
        return decode(file, fps, bucket, DecodeLimits.DEFAULT, frame -> {
            sink.accept(frame);
            return true;
        });
    }

    /**
     * Decodes the clip as {@link #decode(Path, int, Bucket, Consumer)} does until {@code sink}
     * wants no more frames or a limit is reached; returns the number of frames given to it.
     */
    public static int decode(Path file, int fps, Bucket bucket, DecodeLimits limits, FrameSink sink)
            throws UndecodableClipException {
        return decode(file, graph(fps, bucket), fps, bucket, limits, sink);
    }

    /** Decodes a still image (PNG, JPEG, WebP, …; the first picture of a GIF), resized to fill {@code bucket} and center cropped. */
    public static VideoFrame decodeStill(Path file, Bucket bucket, DecodeLimits limits) throws UndecodableClipException {
        VideoFrame[] first = {null};
        decode(file, fit(bucket), 1, bucket, limits, frame -> {
            first[0] = frame;
            return false;
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

    private static int decode(Path file, String description, int fps, Bucket bucket, DecodeLimits limits,
                              FrameSink sink) throws UndecodableClipException {
        try (var grabber = open(file, limits)) {
            var stream = grabber.getFormatContext().streams(grabber.getVideoStream());
            AVRational rate = stream.avg_frame_rate().num() > 0 ? stream.avg_frame_rate() : avutil.av_make_q(fps, 1);
            try (var graph = new NativeFilterGraph(description, stream.time_base(), rate)) {
                var output = new Output(bucket, limits, sink);
                long read = 0;
                for (Frame frame; output.wanted && read++ < limits.maxSourceFrames()
                        && (frame = grabber.grabImage()) != null; ) {
                    graph.push((AVFrame) frame.opaque);
                    output.drain(graph);
                }
                if (output.wanted) {
                    graph.finish();
                    output.drain(graph);
                }
                return output.count;
            }
        } catch (FrameGrabber.Exception | NativeFilterGraph.FilterException e) {
            throw new UndecodableClipException(file, e);
        }
    }

    /** The converted frames handed on so far, and whether the sink and the time limit want more. */
    private static final class Output {
        private final Bucket bucket;
        private final DecodeLimits limits;
        private final FrameSink sink;
        private int count;
        private boolean wanted = true;

        Output(Bucket bucket, DecodeLimits limits, FrameSink sink) {
            this.bucket = bucket;
            this.limits = limits;
            this.sink = sink;
        }

        void drain(NativeFilterGraph graph) throws NativeFilterGraph.FilterException {
            for (AVFrame out; wanted && (out = graph.pull()) != null; ) {
                double seconds = graph.seconds(out);
                if (seconds > limits.maxSeconds()) {
                    wanted = false;
                    return;
                }
                wanted = sink.accept(new VideoFrame(count++, seconds, bucket.width(), bucket.height(), rgb(out, bucket)));
            }
        }
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

    private static FFmpegFrameGrabber open(Path file, DecodeLimits limits) throws FrameGrabber.Exception {
        var grabber = new FFmpegFrameGrabber(file.toFile());
        // Only the demuxers of the formats we take, reading only the file itself: a playlist or
        // manifest (HLS, DASH, concat) named .mp4 would otherwise open other files of the worker.
        grabber.setOption("format_whitelist", DecodeLimits.FORMATS);
        grabber.setOption("protocol_whitelist", "file");
        // The decoder's own frames, unconverted: the filter graph takes them as they are.
        grabber.setImageMode(FrameGrabber.ImageMode.RAW);
        grabber.setVideoOption("threads", Integer.toString(THREADS));
        grabber.setAudioStream(-1);
        grabber.start();
        try {
            if (grabber.getVideoStream() < 0 || grabber.getImageWidth() <= 0) {
                throw new FrameGrabber.Exception("no video stream");
            }
            long pixels = (long) grabber.getImageWidth() * grabber.getImageHeight();
            if (pixels > limits.maxPixels()) {
                throw new FrameGrabber.Exception("the picture is " + grabber.getImageWidth() + "x"
                        + grabber.getImageHeight() + ", over the limit of " + limits.maxPixels() + " pixels");
            }
        } catch (FrameGrabber.Exception e) {
            grabber.close();
            throw e;
        }
        return grabber;
    }

    static {
        // FFmpeg prints every container quirk to stderr; the worker logs what matters itself.
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }
}
