package org.ltxfleet.infra.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.ltxfleet.common.kafka.ConsumerLoop;
import org.ltxfleet.infra.stack.KafkaPart;
import org.ltxfleet.infra.stack.StackLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./fleet kafka}: the stack's broker alone, in a process of its own. */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = "Run the stack's Kafka broker (KRaft) alone, with its data and address in the data directory.")
final class KafkaCommand implements Callable<Integer> {

    @Mixin
    DataDirArg data;

    @Option(names = "--kafka-port", description = "broker port (default: ${DEFAULT-VALUE}; 0 = any free port)")
    int port = 19092;

    @Override
    public Integer call() throws Exception {
        ConsumerLoop.exitOnFatal();
        var part = KafkaPart.start(new StackLayout(data.dataDir), port);
        Console.step("Kafka up at " + part.kafka().bootstrapServers() + " (data in " + data.dataDir.toAbsolutePath() + ")");
        Console.serveUntilStopped(List.of(part));
        return 0;
    }
}
