package org.ltxfleet.infra.stack;

import java.io.IOException;

/** The stack's broker as a part of its own: locks its directory, starts, creates the topics, publishes its address. */
public final class KafkaPart implements AutoCloseable {

    private final DataDirLock lock;
    private final EmbeddedKafka kafka;

    private KafkaPart(DataDirLock lock, EmbeddedKafka kafka) {
        this.lock = lock;
        this.kafka = kafka;
    }

    /** Starts the broker of {@code layout} on {@code port} (0: any free port). */
    public static KafkaPart start(StackLayout layout, int port) throws IOException {
        DataDirLock lock = DataDirLock.acquire(layout.kafkaDir());
        try {
            EmbeddedKafka kafka = EmbeddedKafka.start(layout.kafkaDir(), port);
            try {
                kafka.createFleetTopics();
                layout.publishKafka(kafka.bootstrapServers());
                return new KafkaPart(lock, kafka);
            } catch (IOException | RuntimeException e) {
                kafka.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** The running broker. */
    public EmbeddedKafka kafka() {
        return kafka;
    }

    @Override
    public void close() throws IOException {
        try {
            kafka.close();
        } finally {
            lock.close();
        }
    }
}
