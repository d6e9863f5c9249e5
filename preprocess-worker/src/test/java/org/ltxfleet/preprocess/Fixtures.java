package org.ltxfleet.preprocess;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real clips of ../shared/fixtures; tests that need one skip with a message where it is absent. */
public final class Fixtures {

    private Fixtures() {
    }

    /** A clip of {@code fixtures/video/}, or a skipped test. */
    public static Path video(String name) {
        Path dir = Path.of(System.getProperty("fixtures.dir", "../../shared/fixtures")).resolve("video");
        Path file = dir.resolve(name);
        assumeTrue(Files.isRegularFile(file), "fixture " + file + " is absent; skipping (see ../shared/fixtures)");
        return file;
    }
}
