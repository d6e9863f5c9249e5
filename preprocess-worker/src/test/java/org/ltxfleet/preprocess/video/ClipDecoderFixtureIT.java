package org.ltxfleet.preprocess.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.job.Bucket;
import org.ltxfleet.preprocess.Fixtures;

/** Decoding the real clips of testdata/fixtures (failing, naming the clip, where one is absent). */
class ClipDecoderFixtureIT {

    @Test
    void convertsALongClipToTheTargetRateAndBucket(@TempDir Path out) throws Exception {
        Path vtest = Fixtures.video("vtest.avi");
        var probe = ClipDecoder.probe(vtest);
        assertThat(probe.width()).isEqualTo(768);
        assertThat(probe.seconds()).isBetween(79.0, 80.0);
        var frames = new ArrayList<VideoFrame>();
        Bucket bucket = new Bucket(512, 288);
        int count = ClipDecoder.decode(vtest, 24, bucket, f -> {
            if (f.index() % 400 == 0) {
                frames.add(f);
            }
        });
        // 79.5 s at 24 fps, as ffmpeg's fps filter counts it.
        assertThat(count).isBetween(1905, 1910);
        assertThat(frames.get(0).rgb()).hasSize(512 * 288 * 3);
        assertThat(frames.get(1).seconds()).isCloseTo(400 / 24.0, org.assertj.core.data.Offset.offset(0.1));
        for (VideoFrame frame : frames) {
            ImageIO.write(image(frame), "png", out.resolve("vtest-" + frame.index() + ".png").toFile());
        }
        Path keep = Path.of("target", "fixture-frames");
        Files.createDirectories(keep);
        ImageIO.write(image(frames.get(1)), "png", keep.resolve("vtest-400-512x288.png").toFile());
        assertThat(stripeRatio(image(frames.get(1)))).isLessThan(1.5);
    }

    @Test
    void decodesAClipWithBrokenContainerTiming() throws Exception {
        Path bugy = Fixtures.video("Megamind_bugy.avi");
        List<Double> times = new ArrayList<>();
        int count = ClipDecoder.decode(bugy, 24, new Bucket(512, 512), f -> times.add(f.seconds()));
        // The container claims 30 fps over 9 s for its 270 frames; we follow its timestamps.
        assertThat(count).isBetween(200, 230);
        assertThat(times).isSorted();
        BufferedImage[] middle = new BufferedImage[1];
        ClipDecoder.decode(bugy, 24, new Bucket(512, 512), f -> {
            if (f.index() == 100) {
                middle[0] = image(f);
            }
        });
        Path keep = Path.of("target", "fixture-frames");
        Files.createDirectories(keep);
        ImageIO.write(middle[0], "png", keep.resolve("megamind-bugy-100-512x512.png").toFile());
        assertThat(stripeRatio(middle[0])).as("row-to-row change over column-to-column change").isLessThan(1.5);
    }

    /**
     * Mis-laid-out chroma planes show up as horizontal stripes: neighbouring rows differ far more
     * than neighbouring columns. In a natural picture the two are alike.
     */
    static double stripeRatio(BufferedImage image) {
        double rows = 0;
        double columns = 0;
        for (int y = 1; y < image.getHeight(); y++) {
            for (int x = 1; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                rows += colourDistance(p, image.getRGB(x, y - 1));
                columns += colourDistance(p, image.getRGB(x - 1, y));
            }
        }
        return rows / columns;
    }

    private static int colourDistance(int a, int b) {
        return Math.abs((a >> 16 & 0xff) - (b >> 16 & 0xff)) + Math.abs((a >> 8 & 0xff) - (b >> 8 & 0xff))
                + Math.abs((a & 0xff) - (b & 0xff));
    }

    @Test
    void refusesCorruptFiles(@TempDir Path dir) throws Exception {
        Path corrupt = dir.resolve("corrupt.mp4");
        byte[] header = Files.readAllBytes(Fixtures.video("Megamind.avi"));
        Files.write(corrupt, java.util.Arrays.copyOf(header, 4096));
        Path garbage = dir.resolve("garbage.mov");
        Files.writeString(garbage, "this is not a video");
        assertThatThrownBy(() -> ClipDecoder.probe(garbage)).isInstanceOf(UndecodableClipException.class)
                .hasMessageContaining("garbage.mov");
        int frames;
        try {
            frames = ClipDecoder.decode(corrupt, 24, new Bucket(288, 512), f -> { });
        } catch (UndecodableClipException e) {
            frames = 0;
        }
        assertThat(frames).isLessThan(5);
    }

    static BufferedImage image(VideoFrame frame) {
        var image = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] target = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < frame.rgb().length; i += 3) {
            target[i] = frame.rgb()[i + 2];
            target[i + 1] = frame.rgb()[i + 1];
            target[i + 2] = frame.rgb()[i];
        }
        return image;
    }
}
