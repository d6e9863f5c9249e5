package org.ltxfleet.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.kafka.KafkaSettings;
import org.ltxfleet.common.kafka.StageConsumer;

/**
 * A record that kills its worker's JVM (an OOM, a native crash) is delivered a bounded number of
 * times, then given up, and the records behind it run: the delivery count lives in Kafka, not in
 * the memory of the process that died.
 */
class PoisonRecordIT {

    private static final int MAX_ATTEMPTS = 3;

    @Test
    void aRecordThatCrashesItsWorkerIsGivenUpAfterTheSetDeliveries(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            kafka.createTopics(Map.of("it.jobs", 1));
            try (var producer = new KafkaProducer<String, byte[]>(KafkaSettings.producer(kafka.bootstrapServers(), "it"))) {
                producer.send(new ProducerRecord<>("it.jobs", 0, "poison", new byte[0])).get();
                producer.send(new ProducerRecord<>("it.jobs", 0, "healthy", new byte[0])).get();
            }
            Path out = dir.resolve("outcomes.txt");
            long started = System.nanoTime();
            int crashes = 0;
            // A supervisor (Kubernetes, systemd) restarts the worker each time it dies.
            for (int run = 0; run < MAX_ATTEMPTS + 3 && !done(out); run++) {
                Process worker = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                        "-cp", System.getProperty("java.class.path"), CrashingWorker.class.getName(),
                        kafka.bootstrapServers(), out.toString()).inheritIO().start();
                if (!worker.waitFor(60, TimeUnit.SECONDS)) {
                    worker.destroyForcibly().waitFor();
                } else if (worker.exitValue() == 137) {
                    crashes++;
                }
            }
            assertThat(Files.readAllLines(out)).containsExactly("gave up poison", "handled healthy");
            assertThat(crashes).isEqualTo(MAX_ATTEMPTS);
            System.out.printf("RELIABILITY poison: a record that kills its worker's JVM was delivered %d times (the worker "
                    + "restarted after each crash), then given up; the record behind it ran; %.0f s in all%n", crashes,
                    (System.nanoTime() - started) / 1e9);
        }
    }

    private static boolean done(Path out) throws Exception {
        return Files.exists(out) && Files.readString(out).contains("handled healthy");
    }

    /** A worker whose handler dies with the JVM on the poison record; exits once the healthy one is done. */
    public static final class CrashingWorker {
        public static void main(String[] args) throws Exception {
            Path out = Path.of(args[1]);
            var handler = new StageConsumer.Handler() {
                @Override
                public void handle(ConsumerRecord<String, byte[]> record) throws Exception {
                    if (record.key().equals("poison")) {
                        Runtime.getRuntime().halt(137);
                    }
                    append(out, "handled " + record.key());
                }

                @Override
                public void giveUp(ConsumerRecord<String, byte[]> record, Exception lastError) throws Exception {
                    append(out, "gave up " + record.key());
                }
            };
            try (var consumer = new StageConsumer(org.ltxfleet.common.kafka.KafkaConnection.of(args[0]), List.of("it.jobs"), "it-poison", "crashing", handler,
                    new StageConsumer.Options(MAX_ATTEMPTS, Duration.ofMinutes(1), Duration.ofMillis(200)))) {
                long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
                while (System.nanoTime() < deadline && !(Files.exists(out) && Files.readString(out).contains("healthy"))) {
                    Thread.sleep(100);
                }
            }
        }

        private static synchronized void append(Path file, String line) throws Exception {
            var lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file)) : new ArrayList<String>();
            lines.add(line);
            Files.write(file, lines);
        }
    }
}
