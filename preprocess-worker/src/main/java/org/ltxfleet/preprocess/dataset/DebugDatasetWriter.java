package org.ltxfleet.preprocess.dataset;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.preprocess.video.ClipWindow;
import org.ltxfleet.preprocess.video.VideoFrame;

/**
 * The {@code debug_dataset} output: every sample as an H.264 mp4 at the training size and rate,
 * its keyframes as PNG, its caption, and a manifest of where each sample came from and of every
 * scene or clip that gave none (and why). Accepts samples from several threads.
 */
public final class DebugDatasetWriter {

    private final Path dir;
    private final int fps;
    private final boolean middleKeyframe;
    private final ArrayNode samples = Json.mapper().createArrayNode();

    /** A writer into {@code dir} for samples at {@code fps}. */
    public DebugDatasetWriter(Path dir, int fps, boolean middleKeyframe) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.fps = fps;
        this.middleKeyframe = middleKeyframe;
        Files.createDirectories(dir.resolve("clips"));
        Files.createDirectories(dir.resolve("keyframes"));
    }

    /** Writes one sample's files. */
    public void accept(Sample sample) {
        try {
            ClipWindow window = sample.window();
            writeMp4(window.frames(), dir.resolve("clips").resolve(sample.id() + ".mp4"));
            Files.writeString(dir.resolve("clips").resolve(sample.id() + ".txt"), sample.caption());
            List<VideoFrame> frames = window.frames();
            writePng(frames.get(0), dir.resolve("keyframes").resolve(sample.id() + "_first.png"));
            writePng(frames.get(frames.size() - 1), dir.resolve("keyframes").resolve(sample.id() + "_last.png"));
            if (middleKeyframe) {
                writePng(frames.get(window.middle()), dir.resolve("keyframes").resolve(sample.id() + "_middle.png"));
            }
            ObjectNode entry = Json.object().put("sample", sample.id()).put("source_file", sample.sourceFile())
                    .put("scene", window.scene()).put("start_seconds", window.startSeconds())
                    .put("end_seconds", window.endSeconds()).put("frames", frames.size())
                    .put("resampled", window.resampled()).put("caption", sample.caption()).put("status", "kept");
            synchronized (samples) {
                samples.add(entry);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("debug dataset: cannot write " + sample.id(), e);
        }
    }

    /** Writes the manifest and zips the directory into {@code zip}. */
    public Path finish(List<ClipReport> reports, Path zip) throws IOException {
        ObjectNode manifest = Json.object();
        synchronized (samples) {
            manifest.set("samples", samples.deepCopy());
        }
        ArrayNode dropped = manifest.putArray("dropped");
        for (ClipReport report : reports) {
            if (report.error() != null) {
                dropped.addObject().put("source_file", report.sourceFile()).put("status", "skipped")
                        .put("reason", report.error());
            }
            report.dropped().forEach(d -> dropped.addObject().put("source_file", report.sourceFile())
                    .put("scene", d.scene()).put("start_seconds", d.startSeconds()).put("end_seconds", d.endSeconds())
                    .put("status", "dropped").put("reason", d.reason()));
        }
        Files.write(dir.resolve("manifest.json"), Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        try (var out = new ZipOutputStream(Files.newOutputStream(zip)); var files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(dir.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return zip;
    }

    private void writeMp4(List<VideoFrame> frames, Path file) throws IOException {
        VideoFrame first = frames.get(0);
        try (var recorder = new FFmpegFrameRecorder(file.toFile(), first.width(), first.height(), 0)) {
            recorder.setFormat("mp4");
            // The LGPL FFmpeg build encodes H.264 with OpenH264 only; naming it avoids a silent fallback.
            recorder.setVideoCodecName("libopenh264");
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(fps);
            recorder.setVideoBitrate(4_000_000);
            recorder.start();
            var frame = new Frame(first.width(), first.height(), Frame.DEPTH_UBYTE, 3);
            for (VideoFrame f : frames) {
                var buffer = (java.nio.ByteBuffer) frame.image[0];
                buffer.clear();
                for (int y = 0; y < f.height(); y++) {
                    buffer.position(y * frame.imageStride);
                    buffer.put(f.rgb(), y * f.width() * 3, f.width() * 3);
                }
                buffer.rewind();
                recorder.record(frame, avutil.AV_PIX_FMT_RGB24);
            }
            recorder.stop();
        }
    }

    static void writePng(VideoFrame frame, Path file) throws IOException {
        var image = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] target = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        byte[] rgb = frame.rgb();
        for (int i = 0; i < rgb.length; i += 3) {
            target[i] = rgb[i + 2];
            target[i + 1] = rgb[i + 1];
            target[i + 2] = rgb[i];
        }
        ImageIO.write(image, "png", file.toFile());
    }
}
