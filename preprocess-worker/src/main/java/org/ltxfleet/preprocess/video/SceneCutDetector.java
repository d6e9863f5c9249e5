package org.ltxfleet.preprocess.video;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds hard cuts in a stream of frames by how much their content changes, the way PySceneDetect's
 * content detector does: each frame is reduced to HSV on a coarse grid, and the score of a frame is
 * the mean absolute change of hue, saturation and value from the previous frame (0–255). A frame
 * scoring at least {@code threshold} starts a new scene, unless the current scene is shorter than
 * {@code minSceneFrames} (a flash or a fast pan is not a cut). Feed frames in order; not thread-safe.
 *
 * <p>Defaults: threshold 27 (PySceneDetect's), minimum scene 0.5 s.
 */
public final class SceneCutDetector {

    /** Pixels sampled per axis step: scores need the picture's content, not its detail. */
    private static final int STEP = 4;

    private final double threshold;
    private final int minSceneFrames;
    private final List<Integer> cuts = new ArrayList<>();
    private final List<Double> scores = new ArrayList<>();
    private float[] previous;
    private int frames;
    private int sceneStart;

    /** A detector cutting at {@code threshold} with scenes of at least {@code minSceneFrames}. */
    public SceneCutDetector(double threshold, int minSceneFrames) {
        this.threshold = threshold;
        this.minSceneFrames = minSceneFrames;
    }

    /** Scores the next frame; returns true when it starts a new scene. */
    public boolean accept(VideoFrame frame) {
        float[] hsv = coarseHsv(frame);
        double score = previous == null ? 0 : meanAbsoluteChange(previous, hsv);
        previous = hsv;
        scores.add(score);
        int index = frames++;
        if (index > 0 && score >= threshold && index - sceneStart >= minSceneFrames) {
            cuts.add(index);
            sceneStart = index;
            return true;
        }
        return false;
    }

    /** Frame indexes where new scenes start (the first scene starts at 0 and is not listed). */
    public List<Integer> cuts() {
        return List.copyOf(cuts);
    }

    /** The score of every frame so far (0 for the first). */
    public List<Double> scores() {
        return List.copyOf(scores);
    }

    private static float[] coarseHsv(VideoFrame frame) {
        int w = frame.width() / STEP;
        int h = frame.height() / STEP;
        float[] hsv = new float[w * h * 3];
        float[] pixel = new float[3];
        byte[] rgb = frame.rgb();
        int i = 0;
        for (int y = 0; y < h; y++) {
            int row = y * STEP * frame.width() * 3;
            for (int x = 0; x < w; x++) {
                int p = row + x * STEP * 3;
                java.awt.Color.RGBtoHSB(rgb[p] & 0xff, rgb[p + 1] & 0xff, rgb[p + 2] & 0xff, pixel);
                hsv[i++] = pixel[0] * 255;
                hsv[i++] = pixel[1] * 255;
                hsv[i++] = pixel[2] * 255;
            }
        }
        return hsv;
    }

    private static double meanAbsoluteChange(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }
}
