package org.ltxfleet.preprocess.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.job.Bucket;
import org.ltxfleet.preprocess.Fixtures;

/** Cut detection on the real clips of testdata/fixtures. */
class SceneCutDetectorFixtureIT {

    private static final int FPS = 24;

    private static List<Double> cutSeconds(Path clip, double threshold) throws Exception {
        var detector = new SceneCutDetector(threshold, FPS / 2);
        ClipDecoder.decode(clip, FPS, new Bucket(512, 288), detector::accept);
        return detector.cuts().stream().map(i -> i / (double) FPS).toList();
    }

    @Test
    void findsTheKnownCutsOfMegamind() throws Exception {
        // ffmpeg's scene score puts cuts near 0.08, 4.13, 6.46 and 8.38 s; the one at 0.08 s is
        // inside the minimum scene length (the clip starts on it), so three are expected.
        List<Double> cuts = cutSeconds(Fixtures.video("Megamind.avi"), 20);
        assertThat(cuts).hasSize(3);
        assertThat(cuts.get(0)).isCloseTo(4.13, org.assertj.core.data.Offset.offset(0.15));
        assertThat(cuts.get(1)).isCloseTo(6.46, org.assertj.core.data.Offset.offset(0.15));
        assertThat(cuts.get(2)).isCloseTo(8.38, org.assertj.core.data.Offset.offset(0.15));
    }

    // Measured: Megamind's cuts score 46-102, its other frames at most 8.6; vtest.avi at most 12.4.
    @Test
    void findsNoCutInAFixedCameraClip() throws Exception {
        assertThat(cutSeconds(Fixtures.video("vtest.avi"), 27)).isEmpty();
    }
}
