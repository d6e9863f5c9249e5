package org.ltxfleet.infra.demo;

import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

/** The drawable objects; each is built centred on the origin so rotation is about its centre. */
enum ShapeKind {
    DISC("disc", false),
    SQUARE("square", true),
    TRIANGLE("triangle", true);

    private static final double SQUARE_HALF_SIDE = 0.72;

    private final String noun;
    private final boolean rotationVisible;

    ShapeKind(String noun, boolean rotationVisible) {
        this.noun = noun;
        this.rotationVisible = rotationVisible;
    }

    /** Noun used in captions. */
    String noun() {
        return noun;
    }

    /** A spinning disc looks static, so captions must not claim it spins. */
    boolean rotationVisible() {
        return rotationVisible;
    }

    /**
     * Farthest the outline reaches from the centre, as a multiple of the radius; a spinning square
     * sweeps out to its corners, a still one only to its sides.
     */
    double reach(boolean spinning) {
        return switch (this) {
            case DISC, TRIANGLE -> 1.0;
            case SQUARE -> spinning ? SQUARE_HALF_SIDE * Math.sqrt(2) : SQUARE_HALF_SIDE;
        };
    }

    /** Outline of radius {@code r} centred on the origin. */
    Shape outline(double r) {
        return switch (this) {
            case DISC -> new Ellipse2D.Double(-r, -r, 2 * r, 2 * r);
            // Smaller than the disc's bounding box so both read as about the same size on screen.
            case SQUARE -> new Rectangle2D.Double(-r * SQUARE_HALF_SIDE, -r * SQUARE_HALF_SIDE,
                    2 * r * SQUARE_HALF_SIDE, 2 * r * SQUARE_HALF_SIDE);
            case TRIANGLE -> triangle(r);
        };
    }

    private static Shape triangle(double r) {
        Path2D.Double p = new Path2D.Double();
        for (int i = 0; i < 3; i++) {
            double a = -Math.PI / 2 + i * 2 * Math.PI / 3;
            if (i == 0) {
                p.moveTo(r * Math.cos(a), r * Math.sin(a));
            } else {
                p.lineTo(r * Math.cos(a), r * Math.sin(a));
            }
        }
        p.closePath();
        return p;
    }
}
