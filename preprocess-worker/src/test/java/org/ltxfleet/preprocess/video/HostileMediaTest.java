package org.ltxfleet.preprocess.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.job.Bucket;

/**
 * Media that try to make the decoder read what it was not given, or more than it should: a
 * playlist or concat list named like a clip, a picture past the pixel limit, a clip past the time
 * limit. Every format we accept still decodes.
 */
class HostileMediaTest {

    private static final Bucket BUCKET = new Bucket(64, 64);

    @TempDir
    Path dir;

    @Test
    void aPlaylistNamedLikeAClipCannotOpenTheWorkersOtherFiles() throws Exception {
        Path secret = clip(dir.resolve("someone-elses.mp4"), "mp4", 24);
        assertThat(ClipDecoder.decode(secret, 24, BUCKET, f -> { })).isPositive();
        Path hls = Files.writeString(dir.resolve("clip.mp4"), "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n"
                + "#EXTINF:1.0,\n" + secret.toAbsolutePath() + "\n#EXT-X-ENDLIST\n");
        Path concat = Files.writeString(dir.resolve("clip.mov"), "ffconcat version 1.0\nfile someone-elses.mp4\n");
        for (Path hostile : List.of(hls, concat)) {
            var frames = new ArrayList<VideoFrame>();
            assertThatThrownBy(() -> ClipDecoder.decode(hostile, 24, BUCKET, frames::add))
                    .as(hostile.getFileName().toString()).isInstanceOf(UndecodableClipException.class);
            assertThat(frames).isEmpty();
        }
    }

    @Test
    void everyContainerAndStillFormatWeTakeDecodes() throws Exception {
        for (String container : List.of("mp4", "mov", "mkv", "avi")) {
            Path file = clip(dir.resolve("clip." + container), container.equals("mkv") ? "matroska" : container, 12);
            assertThat(ClipDecoder.decode(file, 24, BUCKET, f -> { })).as(container).isBetween(11, 13);
        }
        for (String format : List.of("png", "jpg", "bmp", "gif", "tiff")) {
            // No extension, as the worker stores a downloaded keyframe: the content decides.
            Path file = dir.resolve("still-" + format);
            ImageIO.write(picture(96, 48), format, file.toFile());
            VideoFrame still = ClipDecoder.decodeStill(file, BUCKET, DecodeLimits.DEFAULT);
            assertThat(still.width()).as(format).isEqualTo(64);
            // The middle of a red picture stays red whatever the codec did to its edges.
            byte[] rgb = still.rgb();
            int middle = (32 * 64 + 32) * 3;
            assertThat(rgb[middle] & 0xff).as(format).isGreaterThan(200);
            assertThat(rgb[middle + 2] & 0xff).as(format).isLessThan(60);
        }
    }

    @Test
    void aPicturePastThePixelLimitIsRefusedBeforeDecoding() throws Exception {
        Path file = dir.resolve("big.png");
        ImageIO.write(picture(200, 100), "png", file.toFile());
        var limits = new DecodeLimits(200 * 100 - 1, 600);
        assertThatThrownBy(() -> ClipDecoder.decodeStill(file, BUCKET, limits))
                .isInstanceOf(UndecodableClipException.class).hasMessageContaining("200x100")
                .hasMessageContaining("over the limit");
        assertThat(ClipDecoder.decodeStill(file, BUCKET, new DecodeLimits(200 * 100, 600)).width()).isEqualTo(64);
    }

    @Test
    void decodingStopsAtTheTimeLimitOrWhenTheSinkHasEnough() throws Exception {
        Path file = clip(dir.resolve("three-seconds.mp4"), "mp4", 72);
        assertThat(ClipDecoder.decode(file, 24, BUCKET, f -> { })).isBetween(71, 73);
        var seen = new ArrayList<Double>();
        int count = ClipDecoder.decode(file, 24, BUCKET, new DecodeLimits(1_000_000, 1.0), f -> seen.add(f.seconds()));
        assertThat(count).isBetween(24, 26);
        assertThat(seen).allMatch(s -> s <= 1.0);
        assertThat(ClipDecoder.decode(file, 24, BUCKET, DecodeLimits.DEFAULT, f -> f.index() < 4)).isEqualTo(5);
    }

    /** A moving gradient, {@code frames} frames at 24 fps, MPEG-4 part 2 in {@code format}. */
    private static Path clip(Path file, String format, int frames) throws Exception {
        int size = 96;
        try (var recorder = new FFmpegFrameRecorder(file.toFile(), size, size)) {
            recorder.setFormat(format);
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            recorder.setFrameRate(24);
            recorder.setPixelFormat(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P);
            recorder.start();
            var frame = new Frame(size, size, Frame.DEPTH_UBYTE, 3);
            for (int i = 0; i < frames; i++) {
                ByteBuffer pixels = (ByteBuffer) frame.image[0];
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        int at = y * frame.imageStride + x * 3;
                        pixels.put(at, (byte) (x * 2 + i * 3));
                        pixels.put(at + 1, (byte) (y * 2));
                        pixels.put(at + 2, (byte) (i * 5));
                    }
                }
                recorder.record(frame, org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24);
            }
        }
        return file;
    }

    private static BufferedImage picture(int width, int height) {
        var image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }
}
