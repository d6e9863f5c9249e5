package org.ltxfleet.infra.cli;

import java.nio.file.Files;
import java.util.concurrent.Callable;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.infra.bench.GatewayBench;
import org.ltxfleet.infra.stack.StackOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./fleet bench <what>}: benchmarks that print ratios against a reference run in the same process. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark; the last line is RESULT {json}. Targets: gateway.")
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "what to benchmark: gateway")
    String target;

    @Option(names = "--rate", description = "requests per second offered (default: ${DEFAULT-VALUE})")
    int rate = 1000;

    @Option(names = "--seconds", description = "length of each measured phase (default: ${DEFAULT-VALUE})")
    int seconds = 10;

    @Override
    public Integer call() throws Exception {
        if (!"gateway".equals(target)) {
            throw new IllegalArgumentException("unknown benchmark '" + target + "'; available: gateway");
        }
        var dataDir = Files.createTempDirectory("fleet-bench");
        // One key offers the whole load: its per-key rate limit would cap the benchmark.
        Files.writeString(dataDir.resolve("fleet.properties"), "gateway.rate.limit.per.second=0\n");
        Console.step("starting a fresh stack without workers in " + dataDir);
        try (var fleet = Console.startStack(StackOptions.forTests(dataDir).withWorkers(false))) {
            Console.step("offering " + rate + " submits/s for " + seconds + " s, through the gateway and "
                    + "through a raw Kafka producer (acks=all, idempotent)");
            var result = new GatewayBench(fleet, rate, seconds).run();
            result.forEach((k, v) -> System.out.printf("  %-24s %s%n", k, v));
            System.out.println("RESULT " + Json.toString(result));
        }
        return 0;
    }
}
