package org.ltxfleet.preprocess;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real clips of the repository's {@code testdata/fixtures} (the POM passes its path as
 * {@code fixtures.dir}; {@code -Dfixtures.dir=...} points at another copy). A missing clip fails the
 * test that needs it: a clean clone holds them all.
 */
public final class Fixtures {

    private Fixtures() {
    }

    /** A clip of {@code fixtures/video/}, or a failed test naming where it should be. */
    public static Path video(String name) {
        Path dir = Path.of(System.getProperty("fixtures.dir", "../testdata/fixtures")).resolve("video");
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            fail("fixture clip " + file.toAbsolutePath().normalize() + " is missing: it belongs in the repository's "
                    + "testdata/fixtures/video (testdata/README.md), or in the folder -Dfixtures.dir names");
        }
        return file;
    }
}
