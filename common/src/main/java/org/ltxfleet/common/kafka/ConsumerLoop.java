package org.ltxfleet.common.kafka;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka consumer with a thread of its own: the subclass's {@link #loop} polls while
 * {@link #running()}; {@link #close} wakes the consumer up, waits for the thread and closes the
 * consumer on it (KafkaConsumer is not thread-safe, so only the loop's thread touches it). The
 * subclass calls {@link #start} at the end of its constructor.
 */
public abstract class ConsumerLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);

    /** The consumer; use it only from {@link #loop}. */
    protected final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    /** A loop named {@code name} over a consumer with these settings. */
    protected ConsumerLoop(Properties consumerSettings, String name) {
        this.consumer = new KafkaConsumer<>(consumerSettings);
        this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::runLoop);
    }

    /** Starts the thread; call once the subclass is fully built. */
    protected final void start() {
        thread.start();
    }

    /** Whether the loop should go on. */
    protected final boolean running() {
        return running;
    }

    /** Polls and handles records while {@link #running()}. */
    protected abstract void loop() throws Exception;

    private void runLoop() {
        try {
            loop();
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (Exception e) {
            if (running) {
                LOG.error("{} stopped; uncommitted records are read again after a restart", thread.getName(), e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Stops the loop and waits for it. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
