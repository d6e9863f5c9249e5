package org.ltxfleet.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.kafka.KafkaConnection;
import org.ltxfleet.common.kafka.KafkaSettings;
import org.ltxfleet.common.kafka.TopicReplayer;

/**
 * A replayer (the gateway's projection, the workers' cancellations) reads partitions added to its
 * topics while it runs, from their first offset, each record once: operators add partitions to
 * grow a pool (OPERATIONS.md), and jobs written to the new ones must not stay unseen.
 */
class TopicReplayerIT {

    @Test
    void partitionsAddedWhileItRunsAreReadFromTheirFirstOffset(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            kafka.createTopics(Map.of("it.grow", 2));
            // Metadata refreshed every half second instead of every 5 minutes, so the test need not wait.
            KafkaConnection connection = KafkaConnection.from(FleetConfig.empty()
                    .with("kafka.bootstrap.servers", kafka.bootstrapServers()).with("kafka.consumer.metadata.max.age.ms", "500"));
            var seen = new CopyOnWriteArrayList<String>();
            try (var producer = new KafkaProducer<String, byte[]>(KafkaSettings.producer(kafka.bootstrapServers(), "grow"));
                 var replayer = new TopicReplayer(connection, "it-grow", List.of("it.grow"),
                         record -> seen.add(record.partition() + ":" + new String(record.value(), StandardCharsets.UTF_8)))) {
                send(producer, 0, "before-0");
                send(producer, 1, "before-1");
                await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 2);

                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                    admin.createPartitions(Map.of("it.grow", NewPartitions.increaseTo(4))).all().get();
                }
                // Written before the replayer can know the partitions exist: still read, from offset 0.
                send(producer, 2, "new-2a");
                send(producer, 3, "new-3");
                send(producer, 2, "new-2b");
                send(producer, 0, "after-0");
                await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 6);
                Thread.sleep(1_000);
                assertThat(seen).containsExactlyInAnyOrder("0:before-0", "1:before-1", "2:new-2a", "3:new-3",
                        "2:new-2b", "0:after-0");
                assertThat(seen.indexOf("2:new-2a")).isLessThan(seen.indexOf("2:new-2b"));
            }
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, int partition, String value) throws Exception {
        producer.send(new ProducerRecord<>("it.grow", partition, value, value.getBytes(StandardCharsets.UTF_8))).get();
    }
}
