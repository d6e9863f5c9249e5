package org.ltxfleet.infra.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class FrameRendererTest {

    private static final int SIZE = 128;
    private static final int FRAMES = 20;
    private static final NamedColor RED = NamedColor.OBJECT_COLORS.get(0);

    @Test
    void sameSeedRendersIdenticalFramesAndOtherSeedsDiffer() {
        assertThat(checksums(ClipScript.forClip(5L, 2))).isEqualTo(checksums(ClipScript.forClip(5L, 2)));
        assertThat(checksums(ClipScript.forClip(5L, 2))).isNotEqualTo(checksums(ClipScript.forClip(6L, 2)));
    }

    @Test
    void leftToRightDiscStartsAtLeftEdgeAndEndsAtRightEdge() {
        FrameRenderer renderer = new FrameRenderer(script(Trajectory.LEFT_TO_RIGHT), SIZE, SIZE, FRAMES);
        Rectangle first = redBounds(renderer.render(0));
        Rectangle last = redBounds(renderer.render(FRAMES - 1));
        assertThat(first.x).isBetween(0, 4);
        assertThat(last.x + last.width).isBetween(SIZE - 4, SIZE);
        // Horizontal path: the disc stays vertically centred.
        assertThat(first.y + first.height / 2).isBetween(SIZE / 2 - 2, SIZE / 2 + 2);
    }

    @Test
    void everyFrameKeepsTheWholeObjectInside() {
        for (Trajectory path : Trajectory.values()) {
            FrameRenderer renderer = new FrameRenderer(script(path), SIZE, SIZE, FRAMES);
            for (int i = 0; i < FRAMES; i++) {
                Rectangle box = redBounds(renderer.render(i));
                assertThat(box.x).as("%s frame %d", path, i).isPositive();
                assertThat(box.y).as("%s frame %d", path, i).isPositive();
                assertThat(box.x + box.width).as("%s frame %d", path, i).isLessThan(SIZE);
                assertThat(box.y + box.height).as("%s frame %d", path, i).isLessThan(SIZE);
            }
        }
    }

    @Test
    void captionNamesColourShapeAndPath() {
        String caption = script(Trajectory.LEFT_TO_RIGHT).caption();
        assertThat(caption).startsWith("a red disc moves from the left edge to the right edge while growing larger");
    }

    private static ClipScript script(Trajectory path) {
        return new ClipScript(ShapeKind.DISC, RED, path, ClipScript.SizeChange.GROWING, ClipScript.Spin.NONE,
                NamedColor.BACKGROUND_COLORS.get(0));
    }

    /** Bounding box of the clearly red pixels; the backgrounds never get that red. */
    private static Rectangle redBounds(BufferedImage image) {
        Rectangle box = null;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                if (((rgb >> 16) & 0xff) > 180 && ((rgb >> 8) & 0xff) < 90) {
                    box = box == null ? new Rectangle(x, y, 1, 1) : box.union(new Rectangle(x, y, 1, 1));
                }
            }
        }
        assertThat(box).as("object visible").isNotNull();
        return box;
    }

    private static List<Long> checksums(ClipScript script) {
        FrameRenderer renderer = new FrameRenderer(script, SIZE, SIZE, FRAMES);
        List<Long> sums = new ArrayList<>();
        for (int i = 0; i < FRAMES; i++) {
            CRC32 crc = new CRC32();
            crc.update(((DataBufferByte) renderer.render(i).getRaster().getDataBuffer()).getData());
            sums.add(crc.getValue());
        }
        return sums;
    }
}
