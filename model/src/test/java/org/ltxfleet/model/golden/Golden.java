package org.ltxfleet.model.golden;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The golden reference tensors: the repository's {@code testdata/golden} (the POM passes its path as
 * {@code golden.dir}; {@code -Dgolden.dir=...} points at another copy). A missing folder fails the
 * test that needs it: a clean clone holds them all, so a skip would hide a comparison never made.
 */
final class Golden {

    static final Path ROOT = Path.of(System.getProperty("golden.dir", "../testdata/golden"));

    private Golden() {
    }

    /** Fails, naming the folder and where it belongs, unless every one of {@code dirs} is there. */
    static void require(Path... dirs) {
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                fail("golden reference folder " + dir.toAbsolutePath().normalize() + " is missing: it belongs in "
                        + "the repository's testdata/golden (testdata/README.md), or in the folder -Dgolden.dir "
                        + "names (golden.dir=" + ROOT + ")");
            }
        }
    }
}
