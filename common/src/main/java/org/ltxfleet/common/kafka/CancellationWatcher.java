package org.ltxfleet.common.kafka;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.ltxfleet.common.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows which jobs clients asked to cancel, by reading all of {@code ltx.control} (every worker
 * needs every request). Workers ask it before taking a job and between steps. Thread-safe.
 */
public final class CancellationWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CancellationWatcher.class);

    private final Set<String> canceled = ConcurrentHashMap.newKeySet();
    private final TopicReplayer reader;

    /** Starts watching in a background thread. */
    public CancellationWatcher(String bootstrapServers, String clientId) {
        this.reader = new TopicReplayer(bootstrapServers, clientId, List.of(Topics.CONTROL), this::read);
    }

    /** Whether a cancellation of the job has been seen. */
    public boolean isCanceled(String requestId) {
        return canceled.contains(requestId);
    }

    private void read(ConsumerRecord<String, byte[]> record) {
        try {
            ControlMessage message = Json.fromBytes(record.value(), ControlMessage.class);
            if (message.action() == ControlMessage.Action.CANCEL) {
                canceled.add(message.requestId());
            }
        } catch (UncheckedIOException e) {
            LOG.warn("skipping malformed control message at offset {}", record.offset());
        }
    }

    @Override
    public void close() {
        reader.close();
    }
}
