package org.ltxfleet.common.kafka;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka consumer with a thread of its own, supervised: the subclass's {@link #loop} polls while
 * {@link #running()}. When it throws, the failure is classified. A transient one (a broker away,
 * a timeout, a commit refused during a rebalance) closes the consumer, waits with exponential
 * back-off (Resilience4j's interval function) and starts {@link #loop} again on a new consumer,
 * so it resumes from the committed offsets (or the positions the subclass keeps). A fatal one
 * (authentication, authorization, configuration) marks the loop FAILED and calls the process's
 * fatal handler, which exits in a deployed service. {@link #health} tells which.
 *
 * <p>{@link #close} wakes the consumer up, waits for the thread and closes the consumer on it
 * (KafkaConsumer is not thread-safe, so only the loop's thread touches it). The subclass calls
 * {@link #start} at the end of its constructor.
 */
public abstract class ConsumerLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);
    private static final IntervalFunction BACKOFF =
            IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(500), 2.0, 0.2, Duration.ofSeconds(30));
    private static volatile Consumer<Throwable> fatalHandler = e -> { };

    private final Properties settings;
    private final Thread thread;
    /** The consumer; use it only from {@link #loop}. A new one after each transient failure. */
    protected volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;
    private volatile LoopHealth health;

    /** A loop named {@code name} over a consumer with these settings. */
    protected ConsumerLoop(Properties consumerSettings, String name) {
        this.settings = consumerSettings;
        this.consumer = new KafkaConsumer<>(consumerSettings);
        this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::supervise);
        this.health = new LoopHealth(name, LoopHealth.State.STARTING, null, Instant.now());
    }

    /**
     * What every loop of this process does on a fatal failure, after marking itself FAILED: a
     * service's main exits non-zero here; by default (tests, embedded use) nothing more.
     */
    public static void onFatal(Consumer<Throwable> handler) {
        fatalHandler = handler;
    }

    /**
     * Makes a fatal loop failure end the process with status 70 (EX_SOFTWARE), as a deployed
     * service should: its orchestrator shows the failure and restarts it. The exit runs on a thread
     * of its own, so shutdown hooks that stop this loop do not wait for themselves.
     */
    public static void exitOnFatal() {
        onFatal(e -> Thread.ofPlatform().name("fatal-exit").start(() -> System.exit(70)));
    }

    /** Starts the thread; call once the subclass is fully built. */
    protected final void start() {
        thread.start();
    }

    /** Whether the loop should go on. */
    protected final boolean running() {
        return running;
    }

    /** This loop's state, for health endpoints. */
    public LoopHealth health() {
        return health;
    }

    /** Polls and handles records while {@link #running()}; may throw, see the class comment. */
    protected abstract void loop() throws Exception;

    /** Polls the consumer and marks the loop up: every subclass polls through here. */
    protected final ConsumerRecords<String, byte[]> poll(Duration timeout) {
        ConsumerRecords<String, byte[]> records = consumer.poll(timeout);
        if (health.state() != LoopHealth.State.UP) {
            if (health.state() == LoopHealth.State.RECOVERING) {
                LOG.info("{} recovered", thread.getName());
            }
            health = new LoopHealth(thread.getName(), LoopHealth.State.UP, null, Instant.now());
        }
        return records;
    }

    private void supervise() {
        int failures = 0;
        try {
            while (running) {
                try {
                    loop();
                    return;
                } catch (WakeupException e) {
                    if (!running) {
                        return;
                    }
                    failures = recover(e, failures);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception | Error e) {
                    if (!running) {
                        return;
                    }
                    if (isFatal(e)) {
                        fail(e);
                        return;
                    }
                    failures = recover(e, failures);
                }
            }
        } catch (LoopEnded e) {
            // recover() could not make a new consumer; already marked FAILED and reported
        } finally {
            // A consumer closed on an interrupted thread cannot leave its group cleanly.
            Thread.interrupted();
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Backs off, then replaces the consumer so the next loop resumes from committed positions. */
    private int recover(Throwable e, int failures) {
        int attempt = health.state() == LoopHealth.State.UP ? 1 : failures + 1;
        long wait = BACKOFF.apply(attempt);
        health = new LoopHealth(thread.getName(), LoopHealth.State.RECOVERING, e.toString(), Instant.now());
        LOG.warn("{} failed ({}); resuming from the committed positions in {} ms", thread.getName(), e, wait);
        try {
            consumer.close(Duration.ZERO);
        } catch (RuntimeException closing) {
            LOG.debug("closing the failed consumer: {}", closing.toString());
        }
        // In slices, so that close() is answered within 100 ms without interrupting the thread.
        long until = System.nanoTime() + wait * 1_000_000;
        while (running && System.nanoTime() < until) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException interrupted) {
                break;
            }
        }
        try {
            consumer = new KafkaConsumer<>(settings);
        } catch (RuntimeException | Error cannotRebuild) {
            // Without a consumer this loop is over: say so and end the process rather than stay
            // alive and RECOVERING for ever with liveness answering 200.
            fail(cannotRebuild);
            throw new LoopEnded(cannotRebuild);
        }
        return attempt;
    }

    /** Marks the loop FAILED for good and calls the process's fatal handler. */
    private void fail(Throwable e) {
        health = new LoopHealth(thread.getName(), LoopHealth.State.FAILED, e.toString(), Instant.now());
        LOG.error("{} failed for good", thread.getName(), e);
        fatalHandler.accept(e);
    }

    /** Thrown out of {@link #recover} when no new consumer could be made: the loop's thread ends. */
    private static final class LoopEnded extends RuntimeException {
        LoopEnded(Throwable cause) {
            super(cause);
        }
    }

    /** Failures no retry can cure: credentials, permissions, settings, a broker too old. */
    static boolean isFatal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException || t instanceof AuthorizationException
                    || t instanceof ConfigException || t instanceof InvalidTopicException
                    || t instanceof UnsupportedVersionException || t instanceof VirtualMachineError) {
                return true;
            }
            if (t instanceof KafkaException && t.getMessage() != null && t.getMessage().startsWith("Failed to construct")) {
                return true;
            }
        }
        return false;
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
