package org.ltxfleet.infra.demo;

import java.awt.geom.Point2D;

/**
 * Where the moving object is over the clip, in normalised coordinates: (0,0) is the
 * top-left position where the object just touches both edges, (1,1) the bottom-right one.
 */
enum Trajectory {
    LEFT_TO_RIGHT(0.0, 0.5, 1.0, 0.5, "moves from the left edge to the right edge"),
    RIGHT_TO_LEFT(1.0, 0.5, 0.0, 0.5, "moves from the right edge to the left edge"),
    TOP_TO_BOTTOM(0.5, 0.0, 0.5, 1.0, "moves from the top edge down to the bottom edge"),
    BOTTOM_TO_TOP(0.5, 1.0, 0.5, 0.0, "moves from the bottom edge up to the top edge"),
    TOP_LEFT_TO_BOTTOM_RIGHT(0.0, 0.0, 1.0, 1.0, "moves diagonally from the top left corner to the bottom right corner"),
    BOTTOM_RIGHT_TO_TOP_LEFT(1.0, 1.0, 0.0, 0.0, "moves diagonally from the bottom right corner to the top left corner"),
    BOTTOM_LEFT_TO_TOP_RIGHT(0.0, 1.0, 1.0, 0.0, "moves diagonally from the bottom left corner to the top right corner"),
    TOP_RIGHT_TO_BOTTOM_LEFT(1.0, 0.0, 0.0, 1.0, "moves diagonally from the top right corner to the bottom left corner"),
    CIRCLE_CLOCKWISE(Double.NaN, Double.NaN, Double.NaN, Double.NaN, "circles clockwise around the centre"),
    CIRCLE_COUNTERCLOCKWISE(Double.NaN, Double.NaN, Double.NaN, Double.NaN, "circles counterclockwise around the centre");

    private final double fromX;
    private final double fromY;
    private final double toX;
    private final double toY;
    private final String phrase;

    Trajectory(double fromX, double fromY, double toX, double toY, String phrase) {
        this.fromX = fromX;
        this.fromY = fromY;
        this.toX = toX;
        this.toY = toY;
        this.phrase = phrase;
    }

    /** Plain-words description used in captions, e.g. "moves from the left edge to the right edge". */
    String phrase() {
        return phrase;
    }

    /** Normalised position at progress {@code t} in [0, 1]. */
    Point2D.Double at(double t) {
        if (isCircle()) {
            // One full turn starting at the top; screen y grows downwards, so +angle is clockwise.
            double angle = 2 * Math.PI * t * (this == CIRCLE_CLOCKWISE ? 1 : -1) - Math.PI / 2;
            return new Point2D.Double(0.5 + 0.5 * Math.cos(angle), 0.5 + 0.5 * Math.sin(angle));
        }
        return new Point2D.Double(fromX + (toX - fromX) * t, fromY + (toY - fromY) * t);
    }

    private boolean isCircle() {
        return this == CIRCLE_CLOCKWISE || this == CIRCLE_COUNTERCLOCKWISE;
    }
}
