package org.ltxfleet.infra.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.model.vae.PixelVideo;

class ContactSheetTest {

    @Test
    void columnsRunFromTheFirstToTheLastFrameEvenlySpaced() {
        assertThat(ContactSheet.columns(49, 7)).containsExactly(0, 8, 16, 24, 32, 40, 48);
        assertThat(ContactSheet.columns(17, 7)).containsExactly(0, 3, 5, 8, 11, 13, 16);
        assertThat(ContactSheet.columns(3, 7)).containsExactly(0, 1, 2);
    }

    @Test
    void eachRowShowsItsVideosFramesInOrder(@TempDir Path dir) throws Exception {
        // Row r, frame f is a flat grey of 10·f + 100·r.
        PixelVideo first = flat(9, 0);
        PixelVideo second = flat(9, 100);
        Path png = ContactSheet.write(List.of(first, second), 3, 8, dir.resolve("sheet.png"));

        var image = ImageIO.read(png.toFile());
        int step = 8 + ContactSheet.GAP;
        assertThat(image.getWidth()).isEqualTo(3 * step + ContactSheet.GAP);
        assertThat(image.getHeight()).isEqualTo(2 * step + ContactSheet.GAP);
        int[] frames = {0, 4, 8};
        for (int row = 0; row < 2; row++) {
            for (int column = 0; column < 3; column++) {
                int grey = 10 * frames[column] + 100 * row;
                int pixel = image.getRGB(ContactSheet.GAP + column * step + 4, ContactSheet.GAP + row * step + 4) & 0xFFFFFF;
                assertThat(pixel).as("row %d column %d", row, column).isEqualTo(grey << 16 | grey << 8 | grey);
            }
        }
    }

    @Test
    void videosOfDifferentLengthsAreRefused() {
        assertThatThrownBy(() -> ContactSheet.draw(List.of(flat(9, 0), flat(5, 0)), 3, 8))
                .hasMessageContaining("same size and length");
    }

    private static PixelVideo flat(int frames, int offset) {
        byte[][] data = new byte[frames][];
        for (int f = 0; f < frames; f++) {
            data[f] = new byte[16 * 16 * 3];
            java.util.Arrays.fill(data[f], (byte) (10 * f + offset));
        }
        return new PixelVideo(16, 16, data);
    }
}
