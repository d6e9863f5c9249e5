package org.ltxfleet.infra.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleClipGeneratorTest {

    private static final int COUNT = 3;
    private static final int WIDTH = 128;
    private static final int HEIGHT = 96;
    private static final int FPS = 24;
    private static final int FRAMES = 30;
    private static final long SEED = 42L;

    @TempDir
    static Path shared;

    private static List<Path> clips;

    @BeforeAll
    static void generateOnce() throws IOException {
        SampleClipGenerator.quietFfmpegLogs();
        clips = SampleClipGenerator.writeClips(shared.resolve("clips"), COUNT, WIDTH, HEIGHT, FPS, FRAMES, SEED);
    }

    @Test
    void encoderIsOpenH264() {
        assertThat(H264ClipEncoder.encoderAvailable()).isTrue();
    }

    @Test
    void clipsDecodeWithRequestedFormat() throws Exception {
        assertThat(clips).hasSize(COUNT).allSatisfy(p -> assertThat(p).exists().hasExtension("mp4"));
        for (Path clip : clips) {
            DecodedClip decoded = DecodedClip.decode(clip);
            assertThat(decoded.codecName()).isEqualTo("h264");
            assertThat(decoded.pixelFormat()).isEqualTo(AV_PIX_FMT_YUV420P);
            assertThat(decoded.width()).isEqualTo(WIDTH);
            assertThat(decoded.height()).isEqualTo(HEIGHT);
            assertThat(decoded.frameRate()).isEqualTo(FPS);
            assertThat(decoded.frameChecksums()).hasSize(FRAMES);
            assertThat(decoded.reportedFrames()).isEqualTo(FRAMES);
        }
    }

    @Test
    void decodedFramesActuallyChange() throws Exception {
        DecodedClip decoded = DecodedClip.decode(clips.get(0));
        // A moving object means (nearly) every frame differs from its predecessor.
        assertThat(new HashSet<>(decoded.frameChecksums())).hasSizeGreaterThan(FRAMES - 2);
    }

    @Test
    void captionsSitBesideClipsAsNonEmptyUtf8() throws Exception {
        for (int i = 0; i < COUNT; i++) {
            Path caption = SampleClipGenerator.captionPathFor(clips.get(i));
            assertThat(caption).exists().hasFileName(SampleClipGenerator.baseName(i) + ".txt");
            String text = strictUtf8(Files.readAllBytes(caption)).strip();
            assertThat(text).isNotBlank().isEqualTo(SampleClipGenerator.captionFor(SEED, i)).containsAnyOf(" moves ", " circles ");
        }
    }

    @Test
    void clipsUseDifferentTrajectories() {
        List<Trajectory> paths = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            paths.add(ClipScript.forClip(SEED, i).trajectory());
        }
        assertThat(paths).doesNotHaveDuplicates();
    }

    @Test
    void sameSeedGivesIdenticalDecodedFramesAndFiles() throws Exception {
        List<Path> again = SampleClipGenerator.writeClips(shared.resolve("again"), COUNT, WIDTH, HEIGHT, FPS, FRAMES, SEED);
        for (int i = 0; i < COUNT; i++) {
            assertThat(DecodedClip.decode(again.get(i)).frameChecksums())
                    .isEqualTo(DecodedClip.decode(clips.get(i)).frameChecksums());
            assertThat(again.get(i)).hasSameBinaryContentAs(clips.get(i));
        }
    }

    @Test
    void zipHoldsExactlyTheClipsAndCaptionsFlat() throws Exception {
        Path zip = SampleClipGenerator.writeDatasetZip(shared.resolve("out/dataset.zip"), COUNT, WIDTH, HEIGHT, FPS, FRAMES, SEED);
        List<String> names = new ArrayList<>();
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = entries.getNextEntry()) != null) {
                names.add(entry.getName());
                if (entry.getName().endsWith(".txt")) {
                    assertThat(strictUtf8(entries.readAllBytes())).isNotBlank();
                }
            }
        }
        assertThat(names).containsExactly(
                "clip_000.mp4", "clip_000.txt", "clip_001.mp4", "clip_001.txt", "clip_002.mp4", "clip_002.txt");

        Path again = SampleClipGenerator.writeDatasetZip(shared.resolve("out/again.zip"), COUNT, WIDTH, HEIGHT, FPS, FRAMES, SEED);
        assertThat(again).hasSameBinaryContentAs(zip);
    }

    @Test
    void rejectsOddSizes() {
        assertThatThrownBy(() -> SampleClipGenerator.writeClips(shared.resolve("odd"), 1, 101, 64, FPS, 5, SEED))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void extractsAFrameForVisualCheck() throws Exception {
        BufferedImage image = DecodedClip.frameAt(clips.get(0), FRAMES / 2);
        Path png = Path.of("target", "frame.png");
        ImageIO.write(image, "png", png.toFile());
        assertThat(png).exists().isNotEmptyFile();
        assertThat(image.getWidth()).isEqualTo(WIDTH);
    }

    private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(bytes))
                .toString();
    }
}
