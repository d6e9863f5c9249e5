package org.ltxfleet.preprocess.video;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns a clip's frames (already at the target rate and size) into training windows of exactly
 * {@code frames} frames, never across a scene cut, holding a bounded number of frames in memory:
 * <ul>
 * <li><b>auto_scale_input off</b>: each scene yields consecutive, non-overlapping windows from
 *     its start; a scene shorter than one window yields none (reported). At most
 *     {@code maxWindowsPerClip} windows per source clip, so one long clip cannot drown the rest of
 *     a dataset (documented in the README).</li>
 * <li><b>auto_scale_input on</b>: each scene yields one window resampled evenly in time to exactly
 *     {@code frames} frames, first and last frame kept. Long scenes are thinned as they stream
 *     (keep every k-th frame, doubling k whenever more than 2× the window is held), so memory stays
 *     at most two windows whatever the scene's length.</li>
 * </ul>
 * Feed frames in order with whether each starts a new scene; call {@link #finish} at the end.
 */
public final class WindowPlanner {

    /** Why a scene gave no window. */
    public record Dropped(int scene, double startSeconds, double endSeconds, int frames, String reason) {
    }

    private final int frames;
    private final boolean autoScale;
    private final int maxWindowsPerClip;
    private final Consumer<ClipWindow> sink;
    private final List<Dropped> dropped = new ArrayList<>();
    private final List<VideoFrame> held = new ArrayList<>();
    private VideoFrame lastOfScene;
    private double sceneStartSeconds;
    private int stride = 1;
    private int sceneFrames;
    private int scene = -1;
    private int emitted;
    private boolean windowEmittedInScene;

    /** A planner emitting windows of {@code frames} frames to {@code sink}. */
    public WindowPlanner(int frames, boolean autoScale, int maxWindowsPerClip, Consumer<ClipWindow> sink) {
        if (frames < 2) {
            throw new IllegalArgumentException("a window needs at least 2 frames, got " + frames);
        }
        this.frames = frames;
        this.autoScale = autoScale;
        this.maxWindowsPerClip = maxWindowsPerClip;
        this.sink = sink;
    }

    /** Takes the next frame; {@code newScene} is true for the first frame of every scene after the first. */
    public void accept(VideoFrame frame, boolean newScene) {
        if (scene < 0 || newScene) {
            endScene();
            scene++;
        }
        if (sceneFrames++ == 0) {
            sceneStartSeconds = frame.seconds();
        }
        lastOfScene = frame;
        if (autoScale) {
            thin(frame);
        } else if (emitted < maxWindowsPerClip) {
            held.add(frame);
            if (held.size() == frames) {
                emit(List.copyOf(held), false);
                held.clear();
            }
        }
    }

    /** Ends the clip: flushes the last scene. */
    public void finish() {
        endScene();
    }

    /** Whether the clip has given all the windows it may: later frames could not add one. */
    public boolean full() {
        return emitted >= maxWindowsPerClip;
    }

    /** The scenes that gave no window, and why. */
    public List<Dropped> dropped() {
        return List.copyOf(dropped);
    }

    private void thin(VideoFrame frame) {
        if ((sceneFrames - 1) % stride == 0) {
            held.add(frame);
        }
        if (held.size() > 2 * frames) {
            var kept = new ArrayList<VideoFrame>();
            for (int i = 0; i < held.size(); i += 2) {
                kept.add(held.get(i));
            }
            held.clear();
            held.addAll(kept);
            stride *= 2;
        }
    }

    private void endScene() {
        if (scene >= 0 && sceneFrames > 0) {
            if (autoScale) {
                emitResampled();
            } else if (!windowEmittedInScene) {
                dropped.add(new Dropped(scene, sceneStartSeconds, lastOfScene.seconds(),
                        sceneFrames, emitted >= maxWindowsPerClip
                                ? "the clip already gave " + maxWindowsPerClip + " windows"
                                : "shorter than number_of_frames (" + sceneFrames + " < " + frames + " frames)"));
            }
        }
        held.clear();
        stride = 1;
        sceneFrames = 0;
        windowEmittedInScene = false;
    }

    /** Picks {@code frames} frames evenly from what was held, always ending on the scene's last frame. */
    private void emitResampled() {
        if (emitted >= maxWindowsPerClip) {
            return;
        }
        var pool = new ArrayList<>(held);
        if (pool.get(pool.size() - 1) != lastOfScene) {
            pool.add(lastOfScene);
        }
        var window = new ArrayList<VideoFrame>(frames);
        for (int i = 0; i < frames; i++) {
            window.add(pool.get((int) Math.round(i * (pool.size() - 1) / (double) (frames - 1))));
        }
        emit(window, pool.size() != frames);
    }

    private void emit(List<VideoFrame> window, boolean resampled) {
        emitted++;
        windowEmittedInScene = true;
        sink.accept(new ClipWindow(scene, window.get(0).seconds(), window.get(window.size() - 1).seconds(), resampled,
                List.copyOf(window)));
    }
}
