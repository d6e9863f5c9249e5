package org.ltxfleet.infra.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * Draws the frames of one clip. The static background is painted once and copied into each
 * frame, which keeps rendering far cheaper than encoding.
 */
final class FrameRenderer {

    private static final int GRID_CELLS = 8;

    private final ClipScript script;
    private final int frameCount;
    private final double baseRadius;
    private final byte[] backgroundPixels;
    private final BufferedImage frame;
    private final byte[] framePixels;

    FrameRenderer(ClipScript script, int width, int height, int frameCount) {
        this.script = script;
        this.frameCount = frameCount;
        this.baseRadius = Math.min(width, height) / 10.0;
        // 3BYTE_BGR matches FFmpeg's BGR24 layout, so the converter can copy rows without reordering.
        this.frame = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        this.framePixels = ((DataBufferByte) frame.getRaster().getDataBuffer()).getData();
        this.backgroundPixels = paintBackground(script.background().color(), width, height);
    }

    /** Renders frame {@code index} (0-based) and returns the renderer's reused image. */
    BufferedImage render(int index) {
        System.arraycopy(backgroundPixels, 0, framePixels, 0, framePixels.length);
        double t = frameCount == 1 ? 0.0 : index / (double) (frameCount - 1);
        double radius = baseRadius * (1.0 + (script.sizeChange().endScale - 1.0) * t);
        float rim = (float) Math.max(1.0, radius / 12);

        // The path is laid out for the object's current size, so the first and last frames touch
        // exactly the edges the caption names and no frame lets the object leave the picture.
        boolean spinning = script.spin() != ClipScript.Spin.NONE;
        double margin = radius * script.shape().reach(spinning) + rim / 2.0 + 1;
        Point2D.Double p = script.trajectory().at(t);
        double cx = margin + p.x * (frame.getWidth() - 2 * margin);
        double cy = margin + p.y * (frame.getHeight() - 2 * margin);

        Graphics2D g = frame.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            AffineTransform at = AffineTransform.getTranslateInstance(cx, cy);
            at.rotate(script.spin().totalRadians * t);
            var outline = at.createTransformedShape(script.shape().outline(radius));
            g.setColor(script.color().color());
            g.fill(outline);
            // A dark rim keeps the silhouette crisp against any background shade.
            g.setColor(new Color(0, 0, 0, 140));
            g.setStroke(new BasicStroke(rim));
            g.draw(outline);
        } finally {
            g.dispose();
        }
        return frame;
    }

    private static byte[] paintBackground(Color base, int width, int height) {
        BufferedImage bg = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = bg.createGraphics();
        try {
            Color light = blend(base, Color.WHITE, 0.35);
            g.setPaint(new GradientPaint(0, 0, base, width, height, light));
            g.fillRect(0, 0, width, height);
            // A faint static grid gives the model a fixed reference to measure motion against.
            g.setColor(new Color(255, 255, 255, 28));
            for (int i = 1; i < GRID_CELLS; i++) {
                int x = i * width / GRID_CELLS;
                int y = i * height / GRID_CELLS;
                g.drawLine(x, 0, x, height - 1);
                g.drawLine(0, y, width - 1, y);
            }
        } finally {
            g.dispose();
        }
        return ((DataBufferByte) bg.getRaster().getDataBuffer()).getData().clone();
    }

    private static Color blend(Color a, Color b, double amount) {
        return new Color(
                (int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * amount),
                (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * amount),
                (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * amount));
    }
}
