package org.ltxfleet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.job.TrainingInput;
import org.ltxfleet.model.latent.Keyframe;
import org.ltxfleet.model.latent.ValidationSet;
import org.ltxfleet.model.preset.Encoders;
import org.ltxfleet.model.preset.Preset;
import org.ltxfleet.model.preset.TinyPreset;
import org.ltxfleet.model.transformer.LoraSpec;
import org.ltxfleet.model.transformer.VideoTransformer;
import org.ltxfleet.model.transformer.Weights;
import org.ltxfleet.model.vae.PixelVideo;
import org.ltxfleet.model.vae.Psnr;

/**
 * On the real clips of {@code testdata/fixtures}, the tiny preset's validation reel (as the train
 * worker renders and encodes it) opens and closes each entry on the keyframe images it was given,
 * at 20 dB PSNR or better: tiny's reel puts them in place, so they come out through the VAE and
 * H.264 only (its VAE alone gives about 22 dB on these clips). A freshly initialised model stands
 * in for a trained one: the in-place frames do not depend on the weights, and the steps between
 * them are drawn as they would be.
 */
class ReelKeyframesFixtureTest {

    private static final int SIZE = 512;
    private static final int FRAMES = 17;
    private static final double FPS = 24;

    @Test
    void tinysReelStartsAndEndsOnTheKeyframesItWasGiven(@TempDir Path dir) throws Exception {
        Path fixtures = Path.of(System.getProperty("fixtures.dir", "../testdata/fixtures")).resolve("video");
        List<Path> clips = List.of(fixtures.resolve("vtest.avi"), fixtures.resolve("Megamind.avi"));
        if (!clips.stream().allMatch(Files::isRegularFile)) {
            fail("fixture clips " + clips + " are missing: they belong in the repository's testdata/fixtures/video "
                    + "(testdata/README.md), or in the folder -Dfixtures.dir names");
        }
        Preset tiny = Preset.named(TinyPreset.NAME, Preset.Sources.of(dir));
        Encoders encoders = tiny.encoders();
        var images = new ArrayList<byte[][]>();
        var entries = new ArrayList<ValidationSet.Entry>();
        for (Path clip : clips) {
            // Frames 30 and 60 of each clip: a second apart, past Megamind's opening black frames.
            List<byte[]> decoded = RgbFrames.read(clip, SIZE, SIZE, 61);
            byte[][] pair = {decoded.get(30), decoded.get(60)};
            images.add(pair);
            var keyframes = List.of(new Keyframe(0, encoders.vae().encode(image(pair[0]))),
                    new Keyframe(FRAMES - 1, encoders.vae().encode(image(pair[1]))));
            entries.add(new ValidationSet.Entry("people walking", keyframes, encoders.text().encode("people walking")));
        }
        var validation = new ValidationSet(entries, encoders.text().encode(TrainingInput.DEFAULT_NEGATIVE_PROMPT),
                FRAMES, FPS, SIZE, SIZE);
        Path reel = dir.resolve("reel.mp4");
        try (NDManager manager = NDManager.newBaseManager()) {
            var model = new VideoTransformer(tiny.transformer(), LoraSpec.none());
            Weights.initialize(model, manager, 11);
            ReelWriter.write(Previews.render(model, tiny, validation, 1.0, manager), FPS, reel);
        }

        List<byte[]> shown = RgbFrames.read(reel, SIZE, SIZE, Integer.MAX_VALUE);
        assertThat(shown).hasSize(2 * FRAMES);
        for (int e = 0; e < entries.size(); e++) {
            double first = Psnr.of(image(images.get(e)[0]), image(shown.get(e * FRAMES)));
            double last = Psnr.of(image(images.get(e)[1]), image(shown.get(e * FRAMES + FRAMES - 1)));
            System.out.printf("reel entry %d (%s): first frame %.2f dB, last frame %.2f dB%n", e,
                    clips.get(e).getFileName(), first, last);
            assertThat(first).as("entry %d's first frame", e).isGreaterThanOrEqualTo(20);
            assertThat(last).as("entry %d's last frame", e).isGreaterThanOrEqualTo(20);
        }
    }

    private static PixelVideo image(byte[] rgb) {
        return new PixelVideo(SIZE, SIZE, new byte[][] {rgb});
    }
}
