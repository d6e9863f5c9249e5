package org.ltxfleet.common.kafka;

import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.ltxfleet.common.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows which jobs clients asked to cancel, by reading all of {@code ltx.control} (every worker
 * needs every request). Workers ask it before taking a job and between steps, or have it
 * interrupt the thread running a job the moment its cancellation arrives, which stops blocking
 * work (a download, a retry's back-off) that no step check reaches. Thread-safe.
 */
public final class CancellationWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CancellationWatcher.class);

    private final Set<String> canceled = ConcurrentHashMap.newKeySet();
    /** Threads to interrupt when their job is canceled; guarded by itself. */
    private final Map<String, Thread> interruptible = new HashMap<>();
    private final TopicReplayer reader;

    /** Starts watching in a background thread. */
    public CancellationWatcher(KafkaConnection kafka, String clientId) {
        this.reader = new TopicReplayer(kafka, clientId, List.of(Topics.CONTROL), this::read);
    }

    /** Whether a cancellation of the job has been seen. */
    public boolean isCanceled(String requestId) {
        return canceled.contains(requestId);
    }

    /**
     * Interrupts {@code thread} when {@code requestId} is canceled, now if it already is, until the
     * returned registration is closed. The job's code then sees {@link #isCanceled} true and
     * ends the job CANCELED; an interrupt while it is not canceled is a shutdown.
     */
    public Registration interruptOnCancel(String requestId, Thread thread) {
        synchronized (interruptible) {
            interruptible.put(requestId, thread);
            if (canceled.contains(requestId)) {
                thread.interrupt();
            }
        }
        return () -> {
            synchronized (interruptible) {
                interruptible.remove(requestId, thread);
            }
        };
    }

    /** Ends an {@link #interruptOnCancel} registration; no interrupt comes after it returns. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private void read(ConsumerRecord<String, byte[]> record) {
        try {
            ControlMessage message = Json.fromBytes(record.value(), ControlMessage.class);
            if (message.action() == ControlMessage.Action.CANCEL) {
                synchronized (interruptible) {
                    canceled.add(message.requestId());
                    Thread running = interruptible.get(message.requestId());
                    if (running != null) {
                        running.interrupt();
                    }
                }
            }
        } catch (UncheckedIOException e) {
            LOG.warn("skipping malformed control message at offset {}", record.offset());
        }
    }

    /** The health of the watcher's reader. */
    public LoopHealth health() {
        return reader.health();
    }

    @Override
    public void close() {
        reader.close();
    }
}
