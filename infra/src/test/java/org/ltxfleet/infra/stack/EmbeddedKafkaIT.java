package org.ltxfleet.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.kafka.KafkaSettings;

/** The in-process broker is a real one: durable across restarts, idempotent and transactional producers. */
class EmbeddedKafkaIT {

    @Test
    void keepsTopicsAndMessagesAcrossARestart(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            kafka.createTopics(Map.of("it.topic", 3));
            kafka.createTopics(Map.of("it.topic", 3));
            try (var producer = new KafkaProducer<String, byte[]>(KafkaSettings.producer(kafka.bootstrapServers(), "it"))) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("it.topic", "k" + i, ("v" + i).getBytes())).get();
                }
            }
            assertThat(readAll(kafka, "it.topic", 10)).hasSize(10);
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            assertThat(readAll(kafka, "it.topic", 10)).containsExactlyInAnyOrder(
                    "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
        }
    }

    @Test
    void committedTransactionsAreVisibleAndAbortedOnesAreNot(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            kafka.createTopics(Map.of("it.tx", 1));
            Properties props = KafkaSettings.producer(kafka.bootstrapServers(), "it-tx");
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-tx");
            try (var producer = new KafkaProducer<String, byte[]>(props)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("it.tx", "a", "aborted".getBytes()));
                producer.abortTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("it.tx", "b", "committed".getBytes()));
                producer.commitTransaction();
            }
            assertThat(readAll(kafka, "it.tx", 1)).containsExactly("committed");
        }
    }

    @Test
    void anEmptyGroupsOffsetsOutliveAnyPoolScaledToZero(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0);
             var admin = org.apache.kafka.clients.admin.Admin.create(Map.<String, Object>of("bootstrap.servers",
                     kafka.bootstrapServers()))) {
            var broker = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.BROKER, "1");
            String minutes = admin.describeConfigs(List.of(broker)).all().get().get(broker)
                    .get("offsets.retention.minutes").value();
            // Kafka's default, 7 days, would drop the preprocess group's offsets after a quiet week.
            assertThat(Long.parseLong(minutes)).isGreaterThanOrEqualTo(365L * 24 * 60);
        }
    }

    private static List<String> readAll(EmbeddedKafka kafka, String topic, int expected) {
        var values = new ArrayList<String>();
        var props = KafkaSettings.consumer(kafka.bootstrapServers(), "it-reader-" + System.nanoTime(), "it-reader");
        try (var consumer = new KafkaConsumer<String, byte[]>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 20_000;
            while (values.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(new String(r.value())));
            }
            // One more poll: nothing beyond what was expected may show up.
            consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(new String(r.value())));
        }
        return values;
    }
}
