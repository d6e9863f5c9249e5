package org.ltxfleet.infra.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.ltxfleet.infra.stack.S3Part;
import org.ltxfleet.infra.stack.StackLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./fleet s3}: the stack's object store alone, in a process of its own. */
@Command(name = "s3", mixinStandardHelpOptions = true,
        description = "Run the stack's S3-compatible store alone, with its objects and address in the data directory.")
final class S3Command implements Callable<Integer> {

    @Mixin
    DataDirArg data;

    @Option(names = "--s3-port", description = "S3 API port (default: ${DEFAULT-VALUE}; 0 = any free port)")
    int port = 19000;

    @Override
    public Integer call() throws Exception {
        var part = S3Part.start(new StackLayout(data.dataDir), port);
        Console.step("S3 up at " + part.s3().endpoint() + " (objects in " + data.dataDir.toAbsolutePath() + ")");
        Console.serveUntilStopped(List.of(part));
        return 0;
    }
}
