package org.ltxfleet.infra.stack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka broker in this JVM: one KRaft node acting as broker and controller, its log under a
 * directory of ours. The directory is formatted once (a new cluster id); later starts reuse it, so
 * topics and messages survive a restart. Single-node settings: every internal topic has one
 * replica and min.insync.replicas is 1, so acks=all, idempotence and transactions all work.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final int NODE_ID = 1;
    /** Ten years: longer than any pool stays scaled to zero (docs/OPERATIONS.md, "Topics and retention"). */
    static final int OFFSETS_RETENTION_MINUTES = 10 * 365 * 24 * 60;
    private static final String CONTROLLER = "CONTROLLER";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private boolean closed;

    private final org.ltxfleet.common.kafka.KafkaConnection connection;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Map<String, String> clientSettings) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        var config = org.ltxfleet.common.config.FleetConfig.empty()
                .with(org.ltxfleet.common.config.Settings.KAFKA_BOOTSTRAP.key(), bootstrapServers);
        for (var setting : clientSettings.entrySet()) {
            config = config.with("kafka." + setting.getKey(), setting.getValue());
        }
        this.connection = org.ltxfleet.common.kafka.KafkaConnection.from(config);
    }

    /** Starts a broker on {@code port} (0 picks a free one) with its log under {@code dataDir}. */
    public static EmbeddedKafka start(Path dataDir, int port) throws IOException {
        return start(dataDir, port, Map.of());
    }

    /** {@link #start(Path, int)} with broker settings of the caller's on top of ours. */
    public static EmbeddedKafka start(Path dataDir, int port, Map<String, String> brokerSettings) throws IOException {
        return start(dataDir, port, brokerSettings, Map.of());
    }

    /**
     * {@link #start(Path, int, Map)} for a broker whose clients need settings of their own (a SASL
     * listener): {@code clientSettings} are Kafka client properties this class's own clients use,
     * and {@link #connection()} carries them.
     */
    public static EmbeddedKafka start(Path dataDir, int port, Map<String, String> brokerSettings,
                                      Map<String, String> clientSettings) throws IOException {
        Path logDir = dataDir.toAbsolutePath().resolve("log");
        Files.createDirectories(logDir);
        int brokerPort = port == 0 ? freePort() : port;
        int controllerPort = freePort();
        Properties props = brokerProperties(logDir, brokerPort, controllerPort);
        props.putAll(brokerSettings);
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(logDir);
        }
        var server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        var kafka = new EmbeddedKafka(server, "127.0.0.1:" + brokerPort, clientSettings);
        kafka.awaitReady();
        return kafka;
    }

    private static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort) {
        var p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + "," + CONTROLLER + "://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", CONTROLLER);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        // One node: internal topics cannot have more replicas than nodes.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "6");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "6");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("min.insync.replicas", "1");
        // Workers join at start-up; waiting for more members only delays the first job.
        p.put("group.initial.rebalance.delay.ms", "0");
        // Topics are created on purpose with their partition counts, never by a typo.
        p.put("auto.create.topics.enable", "false");
        // The gateway rebuilds job state from the topics: keep them for 30 days.
        p.put("log.retention.hours", Integer.toString(24 * 30));
        p.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
        // A work group's committed offsets must outlive any time its pool sits at zero workers: Kafka
        // drops an empty group's offsets after 7 days by default, and the next worker would then
        // start from the beginning of the job topics, kept for ever, and run every job again.
        p.put("offsets.retention.minutes", Integer.toString(OFFSETS_RETENTION_MINUTES));
        return p;
    }

    private static void format(Path logDir) throws IOException {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setControllerListenerName(CONTROLLER)
                    .run();
        } catch (Exception e) {
            throw new IOException("could not format the Kafka log directory " + logDir + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady() throws IOException {
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IOException("the embedded Kafka broker did not come up: " + e.getMessage(), e);
        }
    }

    /** The broker's address for clients. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** A connection to this broker for the fleet's clients, with the client settings it was started with. */
    public org.ltxfleet.common.kafka.KafkaConnection connection() {
        return connection;
    }

    /** Creates the topics that do not exist yet with the given partition counts. */
    public void createTopics(Map<String, Integer> partitionsByName) throws IOException {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            var missing = partitionsByName.entrySet().stream()
                    .filter(e -> !existing.contains(e.getKey()))
                    .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IOException("could not create topics: " + e.getCause().getMessage(), e);
            }
        } catch (Exception e) {
            throw new IOException("could not create topics: " + e.getMessage(), e);
        }
    }

    /** Creates the fleet's topics as {@link org.ltxfleet.common.kafka.Topics#specs()} makes them (one replica). */
    public void createFleetTopics() throws IOException {
        try (Admin admin = admin()) {
            org.ltxfleet.common.kafka.TopicSetup.ensure(admin, (short) 1);
        } catch (Exception e) {
            throw new IOException("could not create the fleet's topics: " + e.getMessage(), e);
        }
    }

    private Admin admin() {
        return Admin.create(connection.admin("embedded-kafka-admin"));
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Stops the broker and waits for it; safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
    }
}
