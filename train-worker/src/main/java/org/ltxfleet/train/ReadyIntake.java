package org.ltxfleet.train;

import java.io.UncheckedIOException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.CancellationWatcher;
import org.ltxfleet.common.kafka.EventWriter;
import org.ltxfleet.common.kafka.ReadyMessage;
import org.ltxfleet.common.kafka.StageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Takes a ready dataset off {@code ltx.ready}, skips canceled jobs and hands the rest to training. */
final class ReadyIntake implements StageConsumer.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(ReadyIntake.class);

    private final EventWriter events;
    private final CancellationWatcher cancellations;

    ReadyIntake(EventWriter events, CancellationWatcher cancellations) {
        this.events = events;
        this.cancellations = cancellations;
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> record) {
        ReadyMessage ready;
        try {
            ready = Json.fromBytes(record.value(), ReadyMessage.class);
        } catch (UncheckedIOException | NullPointerException e) {
            LOG.warn("skipping unreadable dataset message at offset {}: {}", record.offset(), e.getMessage());
            return;
        }
        if (cancellations.isCanceled(ready.requestId())) {
            events.emit(ready.requestId(), ready.keyId(), EventType.CANCELED, new Payloads.Canceled(Payloads.STAGE_TRAIN));
            return;
        }
        events.emit(ready.requestId(), ready.keyId(), EventType.STARTED,
                new Payloads.Started(Payloads.STAGE_TRAIN, events.source()));
        events.emit(ready.requestId(), ready.keyId(), EventType.FAILED, new Payloads.Failed(501, "stage_not_implemented",
                Json.toTree("The train stage is not implemented yet; the job was not billed."), Payloads.STAGE_TRAIN));
    }

    @Override
    public void giveUp(ConsumerRecord<String, byte[]> record, Exception lastError) {
        try {
            ReadyMessage ready = Json.fromBytes(record.value(), ReadyMessage.class);
            events.emit(ready.requestId(), ready.keyId(), EventType.FAILED, new Payloads.Failed(500, "internal_error",
                    Json.toTree("Training failed: " + lastError.getMessage()), Payloads.STAGE_TRAIN));
        } catch (RuntimeException e) {
            LOG.error("could not report the failure of {}", record.key(), e);
        }
    }
}
