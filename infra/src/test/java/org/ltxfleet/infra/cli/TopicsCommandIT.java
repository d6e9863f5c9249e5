package org.ltxfleet.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.kafka.TopicSpec;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.infra.stack.EmbeddedKafka;
import picocli.CommandLine;

/** {@code ./fleet topics} makes every topic as its spec says on a bare cluster, and changes nothing on a second run. */
class TopicsCommandIT {

    @Test
    void createsEveryTopicAsSpecifiedAndIsSafeToRunAgain(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            String[] args = {"--bootstrap-servers", kafka.bootstrapServers(), "--replication-factor", "1"};
            assertThat(new CommandLine(new TopicsCommand()).execute(args)).isZero();
            assertThat(new CommandLine(new TopicsCommand()).execute(args)).isZero();

            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
                var topics = admin.describeTopics(Topics.all()).allTopicNames().get(30, TimeUnit.SECONDS);
                var resources = Topics.all().stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
                var configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
                for (TopicSpec spec : Topics.specs()) {
                    assertThat(topics.get(spec.name()).partitions()).as(spec.name()).hasSize(spec.partitions());
                    var config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
                    assertThat(config.get("retention.ms").value()).as(spec.name())
                            .isEqualTo(spec.retention() == null ? "-1" : Long.toString(spec.retention().toMillis()));
                    assertThat(config.get("cleanup.policy").value()).as(spec.name()).isEqualTo("delete");
                }
            }
        }
    }

    @Test
    void theOperationsGuideNamesEveryTopic() throws Exception {
        String guide = java.nio.file.Files.readString(Path.of("..", "docs", "OPERATIONS.md"));
        for (String topic : Topics.all()) {
            String shown = topic.startsWith(Topics.WEBHOOK_RETRY_PREFIX) ? Topics.WEBHOOK_RETRY_PREFIX : topic;
            assertThat(guide).as(topic).contains("`" + shown);
        }
        assertThat(List.copyOf(Topics.all())).doesNotHaveDuplicates();
    }
}
