package org.ltxfleet.preprocess.video;

import static org.bytedeco.ffmpeg.global.avfilter.AV_BUFFERSRC_FLAG_KEEP_REF;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_frame;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_time_base;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersrc_add_frame_flags;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_get_by_name;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_alloc;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_config;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_create_filter;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_free;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_parse_ptr;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_inout_alloc;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_inout_free;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_strdup;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.util.Locale;
import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avfilter.AVFilterInOut;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * An FFmpeg filter graph fed with the decoder's own frames, ending in packed RGB.
 *
 * <p>Written on libavfilter's API because JavaCV's {@code FFmpegFrameFilter} takes a frame as one
 * contiguous buffer: planar decoder frames (padded planes at separate addresses) must first be
 * converted to a packed format, a full extra pass over every pixel. Here the decoder's frame goes in
 * by reference with its real timestamps, exactly as the {@code ffmpeg} command line feeds its graph.
 * The graph is built on the first frame, whose size and pixel format the decoder only then knows.
 */
final class NativeFilterGraph implements AutoCloseable {

    private final String description;
    private final AVRational streamTimeBase;
    private final AVRational streamFrameRate;
    private final AVFrame filtered = av_frame_alloc();
    private AVFilterGraph graph;
    private AVFilterContext source;
    private AVFilterContext sink;
    private long lastPts = Long.MIN_VALUE;

    /** A graph running {@code description} on frames stamped in {@code timeBase}. */
    NativeFilterGraph(String description, AVRational timeBase, AVRational frameRate) {
        this.description = description;
        this.streamTimeBase = timeBase;
        this.streamFrameRate = frameRate;
    }

    /** Feeds one decoded frame, by reference; the caller may reuse it afterwards. */
    void push(AVFrame decoded) throws FilterException {
        if (graph == null) {
            build(decoded);
        }
        long pts = decoded.best_effort_timestamp();
        if (pts == AV_NOPTS_VALUE || pts <= lastPts) {
            pts = lastPts == Long.MIN_VALUE ? 0 : lastPts + 1; // broken containers: keep time moving forward
        }
        lastPts = pts;
        decoded.pts(pts);
        check(av_buffersrc_add_frame_flags(source, decoded, AV_BUFFERSRC_FLAG_KEEP_REF), "feeding the filter graph");
    }

    /** Signals the end of the stream so that buffered frames come out. */
    void finish() throws FilterException {
        if (graph != null) {
            check(av_buffersrc_add_frame_flags(source, null, 0), "closing the filter graph");
        }
    }

    /** The next filtered frame, or null when the graph needs more input; valid until the next call. */
    AVFrame pull() throws FilterException {
        if (graph == null) {
            return null;
        }
        av_frame_unref(filtered);
        int ret = av_buffersink_get_frame(sink, filtered);
        if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF) {
            return null;
        }
        check(ret, "reading the filter graph");
        return filtered;
    }

    /** Seconds of a pulled frame's timestamp. */
    double seconds(AVFrame frame) {
        AVRational base = av_buffersink_get_time_base(sink);
        return frame.pts() == AV_NOPTS_VALUE ? 0 : frame.pts() * (double) base.num() / base.den();
    }

    private void build(AVFrame first) throws FilterException {
        graph = avfilter_graph_alloc();
        AVRational aspect = first.sample_aspect_ratio();
        String args = String.format(Locale.ROOT,
                "video_size=%dx%d:pix_fmt=%d:time_base=%d/%d:pixel_aspect=%d/%d:frame_rate=%d/%d",
                first.width(), first.height(), first.format(), streamTimeBase.num(), streamTimeBase.den(),
                Math.max(aspect.num(), 0), Math.max(aspect.den(), 1), streamFrameRate.num(),
                Math.max(streamFrameRate.den(), 1));
        source = new AVFilterContext();
        check(avfilter_graph_create_filter(source, avfilter_get_by_name("buffer"), "in", args, null, graph),
                "creating the frame source");
        sink = new AVFilterContext();
        check(avfilter_graph_create_filter(sink, avfilter_get_by_name("buffersink"), "out", null, null, graph),
                "creating the frame sink");
        AVFilterInOut outputs = endpoint("in", source);
        AVFilterInOut inputs = endpoint("out", sink);
        var outputsRef = new PointerPointer<AVFilterInOut>(1).put(outputs);
        var inputsRef = new PointerPointer<AVFilterInOut>(1).put(inputs);
        try {
            check(avfilter_graph_parse_ptr(graph, new BytePointer(description), inputsRef, outputsRef, null),
                    "parsing '" + description + "'");
            check(avfilter_graph_config(graph, null), "configuring '" + description + "'");
        } finally {
            avfilter_inout_free(inputsRef);
            avfilter_inout_free(outputsRef);
        }
    }

    private static AVFilterInOut endpoint(String name, AVFilterContext filter) {
        AVFilterInOut io = avfilter_inout_alloc();
        io.name(av_strdup(new BytePointer(name)));
        io.filter_ctx(filter);
        io.pad_idx(0);
        io.next(null);
        return io;
    }

    private static void check(int ret, String what) throws FilterException {
        if (ret < 0) {
            var message = new BytePointer(256);
            av_strerror(ret, message, 256);
            throw new FilterException(what + ": " + message.getString());
        }
    }

    @Override
    public void close() {
        av_frame_free(filtered);
        if (graph != null) {
            avfilter_graph_free(new PointerPointer<AVFilterGraph>(1).put(graph));
            graph = null;
        }
    }

    /** FFmpeg refused the graph or a frame. */
    static final class FilterException extends Exception {
        FilterException(String message) {
            super(message);
        }
    }
}
