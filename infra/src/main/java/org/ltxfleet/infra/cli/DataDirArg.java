package org.ltxfleet.infra.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The data directory a part of the stack runs in or joins. */
final class DataDirArg {

    @Option(names = "--data-dir", description = "the stack's data directory (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of(".fleet");
}
