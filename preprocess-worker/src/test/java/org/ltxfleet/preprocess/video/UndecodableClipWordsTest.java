package org.ltxfleet.preprocess.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.job.Bucket;

/**
 * A clip FFmpeg cannot read is named in the job's logs and result: the reason must be in words a
 * user acts on, not JavaCV's hints to programmers ("Has setFormat() been called?") nor FFmpeg's
 * function names and error numbers.
 */
class UndecodableClipWordsTest {

    @TempDir
    Path dir;

    @Test
    void aFileThatIsNotAVideoIsSaidSoInWords() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.mov"), "this is not a video");
        UndecodableClipException refused = refusal(garbage);
        assertPlain(refused.describe("clips/garbage.mov"));
        assertThat(refused.describe("clips/garbage.mov")).startsWith("cannot decode clips/garbage.mov: ")
                .contains("not a video");
    }

    @Test
    void programmersHintsAndFunctionNamesAreDropped() {
        var cause = new Exception("avformat_open_input() error -1094995529: Could not open input \"/scratch/x/a.mp4\". "
                + "(Has setFormat() been called?) (For more details, make sure FFmpegLogCallback.set() has been called.)");
        var refused = new UndecodableClipException(Path.of("/scratch/x/a.mp4"), cause);
        assertPlain(refused.getMessage());
        assertThat(refused.getMessage()).contains("a.mp4").doesNotContain("/scratch");

        var other = new UndecodableClipException(Path.of("/scratch/b.mp4"),
                new Exception("av_read_frame() error -5: Could not read frame. (For more details, make sure FFmpegLogCallback.set() has been called.)"));
        assertPlain(other.getMessage());
        assertThat(other.getMessage()).contains("Could not read frame");
    }

    private static UndecodableClipException refusal(Path file) {
        try {
            ClipDecoder.decode(file, 24, new Bucket(64, 64), f -> { });
        } catch (UndecodableClipException e) {
            return e;
        }
        throw new AssertionError(file + " decoded");
    }

    private static void assertPlain(String message) {
        assertThat(message).doesNotContain("()").doesNotContain("FFmpegLogCallback").doesNotContain("setFormat")
                .doesNotContainPattern("error -?\\d+");
    }
}
