package org.ltxfleet.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.kafka.EventWriter;
import org.ltxfleet.common.kafka.KafkaSettings;

/** A job's outcome written during a broker outage waits for the broker instead of failing the job. */
class EventWriterOutageIT {

    @Test
    void aWriteDuringAnOutageLongerThanTheProducersTimeoutLandsOnceTheBrokerIsBack(@TempDir Path dir) throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0);
        String bootstrap = kafka.bootstrapServers();
        kafka.createTopics(Map.of("it.events", 1));
        try (var writer = new EventWriter(org.ltxfleet.common.kafka.KafkaConnection.of(bootstrap), "it-writer")) {
            writer.send(new ProducerRecord<>("it.events", "before", new byte[0]));
            kafka.close();
            var write = CompletableFuture.runAsync(() -> writer.send(new ProducerRecord<>("it.events", "during", new byte[0])));
            Thread.sleep(20_000);  // past the producer's own delivery timeout (15 s)
            assertThat(write).isNotDone();
            kafka = EmbeddedKafka.start(dir, Integer.parseInt(bootstrap.split(":")[1]));
            write.get(120, TimeUnit.SECONDS);
        }
        try (var consumer = new KafkaConsumer<String, byte[]>(KafkaSettings.consumer(bootstrap, null, "it-read"))) {
            var partition = new TopicPartition("it.events", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            var keys = new java.util.ArrayList<String>();
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!keys.contains("during") && System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> keys.add(r.key()));
            }
            assertThat(keys).contains("before", "during");
        } finally {
            kafka.close();
        }
    }
}
