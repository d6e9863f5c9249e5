package org.ltxfleet.common.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the fleet's topics ({@link Topics#specs()}) where they are missing and reports those
 * that exist with fewer partitions than their spec. Safe to run again, and from several processes
 * at once.
 */
public final class TopicSetup {

    private TopicSetup() {
    }

    /** What a run found and did. */
    public record Report(List<String> created, List<String> existing, List<String> warnings) {
    }

    /**
     * {@link #ensure}, with a refusal of the cluster (unreachable, not authorised) turned into an
     * {@link IllegalStateException} that names the cluster and the cause, for the command lines.
     */
    public static Report ensureOn(Admin admin, short replication, String cluster) throws InterruptedException {
        try {
            return ensure(admin, replication);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("could not set up the topics on " + cluster + ": " + cause.getMessage(), e);
        }
    }

    /** Ensures every topic with {@code replication} replicas. */
    public static Report ensure(Admin admin, short replication)
            throws ExecutionException, InterruptedException, TimeoutException {
        Set<String> present = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        var created = new ArrayList<String>();
        var existing = new ArrayList<String>();
        var warnings = new ArrayList<String>();
        var missing = new ArrayList<NewTopic>();
        for (TopicSpec spec : Topics.specs()) {
            if (present.contains(spec.name())) {
                existing.add(spec.name());
            } else {
                missing.add(spec.newTopic(replication));
            }
        }
        for (var result : admin.createTopics(missing).values().entrySet()) {
            try {
                result.getValue().get(30, TimeUnit.SECONDS);
                created.add(result.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                existing.add(result.getKey()); // another process made it a moment ago
            }
        }
        if (!existing.isEmpty()) {
            var described = admin.describeTopics(existing).allTopicNames().get(30, TimeUnit.SECONDS);
            for (TopicSpec spec : Topics.specs()) {
                var topic = described.get(spec.name());
                if (topic != null && topic.partitions().size() < spec.partitions()) {
                    warnings.add(spec.name() + " has " + topic.partitions().size() + " partitions, fewer than the "
                            + spec.partitions() + " of its spec: at most that many workers of its stage are busy");
                }
            }
        }
        return new Report(List.copyOf(created), List.copyOf(existing), List.copyOf(warnings));
    }

    /**
     * Ensures the topics on the cluster the settings name (the distributions' {@code bin/ltx-topics},
     * e.g. a compose or Kubernetes init step), with {@code topics.replication.factor} replicas;
     * prints what it created and found. Exits 1 with the reason when the cluster refuses.
     */
    public static void main(String[] args) throws InterruptedException {
        var config = org.ltxfleet.common.config.FleetConfig.load(args.length > 0 ? java.nio.file.Path.of(args[0]) : null);
        short replication = org.ltxfleet.common.config.Settings.TOPICS_REPLICATION.read(config).shortValue();
        KafkaConnection kafka = KafkaConnection.from(config);
        java.util.Properties props = kafka.admin("ltx-fleet-topics");
        props.putIfAbsent("default.api.timeout.ms", "60000");
        try (Admin admin = Admin.create(props)) {
            Report report = ensureOn(admin, replication, kafka.bootstrapServers());
            report.created().forEach(topic -> System.out.println("created " + topic));
            report.existing().forEach(topic -> System.out.println("exists  " + topic));
            report.warnings().forEach(warning -> System.err.println("warning: " + warning));
        } catch (IllegalStateException refused) {
            System.err.println(refused.getMessage());
            System.exit(1);
        }
    }
}
