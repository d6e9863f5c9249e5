package org.ltxfleet.preprocess.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowPlannerTest {

    private static VideoFrame frame(int i) {
        return new VideoFrame(i, i / 24.0, 2, 2, new byte[12]);
    }

    /** Feeds {@code total} frames with cuts before the given indexes. */
    private static List<ClipWindow> plan(WindowPlanner planner, List<ClipWindow> out, int total, int... cuts) {
        for (int i = 0; i < total; i++) {
            final int index = i;
            planner.accept(frame(i), java.util.Arrays.stream(cuts).anyMatch(c -> c == index));
        }
        planner.finish();
        return out;
    }

    private static List<Integer> indexes(ClipWindow window) {
        return window.frames().stream().map(VideoFrame::index).toList();
    }

    @Test
    void cutsConsecutiveWindowsWithinScenes() {
        var out = new ArrayList<ClipWindow>();
        var planner = new WindowPlanner(9, false, 8, out::add);
        plan(planner, out, 40, 25);
        // Scene 0 = frames 0-24: windows 0-8 and 9-17 (18-24 left over); scene 1 = 25-39: window 25-33.
        assertThat(out).extracting(w -> indexes(w).get(0)).containsExactly(0, 9, 25);
        assertThat(out).allSatisfy(w -> assertThat(w.frames()).hasSize(9));
        assertThat(out.get(2).scene()).isEqualTo(1);
        assertThat(out).noneMatch(ClipWindow::resampled);
        assertThat(planner.dropped()).isEmpty();
    }

    @Test
    void dropsScenesShorterThanAWindowAndSaysWhy() {
        var out = new ArrayList<ClipWindow>();
        var planner = new WindowPlanner(9, false, 8, out::add);
        plan(planner, out, 15, 5);
        assertThat(out).hasSize(1);
        assertThat(indexes(out.get(0))).containsExactly(5, 6, 7, 8, 9, 10, 11, 12, 13);
        assertThat(planner.dropped()).singleElement().satisfies(d -> {
            assertThat(d.scene()).isZero();
            assertThat(d.frames()).isEqualTo(5);
            assertThat(d.reason()).contains("shorter than number_of_frames");
        });
    }

    @Test
    void capsTheWindowsOfOneClip() {
        var out = new ArrayList<ClipWindow>();
        plan(new WindowPlanner(9, false, 2, out::add), out, 100);
        assertThat(out).hasSize(2);
    }

    @Test
    void saysWhenTheClipCanGiveNoMoreWindowsSoDecodingCanStop() {
        var out = new ArrayList<ClipWindow>();
        var planner = new WindowPlanner(9, false, 2, out::add);
        for (int i = 0; i < 17; i++) {
            planner.accept(frame(i), false);
        }
        assertThat(planner.full()).isFalse();
        planner.accept(frame(17), false);
        assertThat(planner.full()).isTrue();

        // auto_scale_input: one window per scene, known once the next scene starts.
        var scaled = new WindowPlanner(9, true, 2, out::add);
        for (int i = 0; i < 30; i++) {
            scaled.accept(frame(i), i == 10 || i == 20);
            assertThat(scaled.full()).as("frame %d", i).isEqualTo(i >= 20);
        }
    }

    @Test
    void autoScaleStretchesAShortSceneToExactlyTheFrameCount() {
        var out = new ArrayList<ClipWindow>();
        plan(new WindowPlanner(9, true, 8, out::add), out, 5);
        assertThat(out).singleElement().satisfies(w -> {
            assertThat(indexes(w)).containsExactly(0, 1, 1, 2, 2, 3, 3, 4, 4);
            assertThat(w.resampled()).isTrue();
        });
    }

    @Test
    void autoScaleThinsALongSceneEvenlyKeepingFirstAndLastFrames() {
        var out = new ArrayList<ClipWindow>();
        plan(new WindowPlanner(9, true, 8, out::add), out, 1000);
        List<Integer> picked = indexes(out.get(0));
        assertThat(picked).hasSize(9).startsWith(0).endsWith(999).isSorted();
        // Evenly spaced within the thinning stride (every 125 frames ideally).
        for (int i = 1; i < 8; i++) {
            assertThat(picked.get(i)).isCloseTo(i * 999 / 8, org.assertj.core.data.Offset.offset(70));
        }
    }

    @Test
    void autoScaleGivesOneWindowPerScene() {
        var out = new ArrayList<ClipWindow>();
        plan(new WindowPlanner(9, true, 8, out::add), out, 30, 10, 20);
        assertThat(out).extracting(ClipWindow::scene).containsExactly(0, 1, 2);
        assertThat(indexes(out.get(1))).startsWith(10).endsWith(19);
    }

    @Test
    void exactLengthSceneIsNotResampled() {
        var out = new ArrayList<ClipWindow>();
        plan(new WindowPlanner(9, true, 8, out::add), out, 9);
        assertThat(out.get(0).resampled()).isFalse();
        assertThat(indexes(out.get(0))).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
    }
}
