package org.ltxfleet.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.kafka.KafkaSettings;
import org.ltxfleet.common.kafka.StageConsumer;

/** A stage takes every waiting job of a higher-priority topic before any of a lower one. */
class StageConsumerPriorityIT {

    @Test
    void normalJobsRunBeforeWaitingLowPriorityOnes(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            kafka.createTopics(Map.of("it.normal", 2, "it.low", 2));
            try (var producer = new KafkaProducer<String, byte[]>(KafkaSettings.producer(kafka.bootstrapServers(), "it"))) {
                for (int i = 0; i < 3; i++) {
                    producer.send(new ProducerRecord<>("it.low", "low-" + i, new byte[0])).get();
                }
                for (int i = 0; i < 3; i++) {
                    producer.send(new ProducerRecord<>("it.normal", "normal-" + i, new byte[0])).get();
                }
            }
            var order = new CopyOnWriteArrayList<String>();
            var handler = new StageConsumer.Handler() {
                @Override
                public void handle(ConsumerRecord<String, byte[]> record) {
                    order.add(record.key());
                }

                @Override
                public void giveUp(ConsumerRecord<String, byte[]> record, Exception lastError) {
                }
            };
            try (var consumer = new StageConsumer(kafka.connection(), List.of("it.normal", "it.low"), "it-group",
                    "it", handler, new StageConsumer.Options(1, Duration.ofMinutes(1), Duration.ofSeconds(1)))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> order.size() == 6);
            }
            assertThat(order.subList(0, 3)).allMatch(k -> k.startsWith("normal-"));
            assertThat(order.subList(3, 6)).allMatch(k -> k.startsWith("low-"));
        }
    }
}
