package org.ltxfleet.infra.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.ltxfleet.common.kafka.TopicSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./fleet topics}: creates the fleet's topics on a cluster of yours, as the embedded stack makes them. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Create the fleet's topics (partitions, retention, min.insync.replicas) where they are missing "
                + "on your Kafka cluster; reports the ones that exist. Safe to run again.")
final class TopicsCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", required = true, description = "the cluster, host:port[,host:port]")
    String bootstrapServers;

    @Option(names = "--replication-factor", description = "replicas of each topic (default: ${DEFAULT-VALUE})")
    short replication = 3;

    @Option(names = "--command-config", description = "admin client properties (TLS, SASL), as Kafka's own tools "
            + "take them")
    Path commandConfig;

    @Override
    public Integer call() throws Exception {
        var props = new Properties();
        if (commandConfig != null) {
            try (Reader reader = Files.newBufferedReader(commandConfig)) {
                props.load(reader);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --command-config " + commandConfig + ": "
                        + e.getMessage(), e);
            }
        }
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "ltx-fleet-topics");
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(props)) {
            TopicSetup.Report report = TopicSetup.ensureOn(admin, replication, bootstrapServers);
            report.created().forEach(topic -> Console.step("created " + topic));
            report.existing().forEach(topic -> Console.step("exists  " + topic));
            report.warnings().forEach(warning -> System.err.println("warning: " + warning));
        }
        return 0;
    }
}
