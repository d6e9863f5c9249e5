package org.ltxfleet.train;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.io.WorkDirs;
import org.ltxfleet.common.job.JobFailedException;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.CancellationWatcher;
import org.ltxfleet.common.kafka.EventWriter;
import org.ltxfleet.common.kafka.ReadyMessage;
import org.ltxfleet.common.kafka.StageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ltxfleet.common.s3.JobObjects;

/**
 * Takes a ready dataset off {@code ltx.ready}: skips canceled jobs and jobs that already finished
 * (a redelivered message), and trains the rest. Every path but a shutdown ends with a durable
 * event before the offset is committed; a shutdown leaves a checkpoint and no outcome, so the job
 * is handed to the next worker, which resumes it.
 */
final class ReadyIntake implements StageConsumer.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(ReadyIntake.class);

    private final EventWriter events;
    private final CancellationWatcher cancellations;
    private final TrainWorker.Parts parts;

    ReadyIntake(EventWriter events, CancellationWatcher cancellations, TrainWorker.Parts parts) {
        this.events = events;
        this.cancellations = cancellations;
        this.parts = parts;
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> record) throws Exception {
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
        try (var lease = new JobLease(parts.store(), ready.requestId(), events.source(), parts.settings().lease())) {
            if (awaitLease(ready, lease)) {
                train(ready, lease);
            }
        }
    }

    private void train(ReadyMessage ready, JobLease lease) throws Exception {
        events.emit(ready.requestId(), ready.keyId(), EventType.STARTED,
                new Payloads.Started(Payloads.STAGE_TRAIN, events.source()));
        Path work = parts.scratch().jobDirectory(ready.requestId());
        try {
            new TrainJob(parts.settings(), parts.store(), events, cancellations, parts.baseModels(), lease).run(ready, work);
        } catch (JobLease.LostException e) {
            // This worker went silent long enough for another to take the job over from its checkpoint.
            // No commit: the record comes back here and waits on the new holder, so should that one
            // die as well, the job is taken over again instead of staying IN_PROGRESS for ever.
            LOG.warn("{}: {}; leaving the job to it", ready.requestId(), e.getMessage());
            throw new StageConsumer.HandedBack(e.getMessage());
        } catch (JobFailedException e) {
            events.emit(ready.requestId(), ready.keyId(), EventType.FAILED, new Payloads.Failed(e.statusCode(),
                    e.errorType(), e.detail(), Payloads.STAGE_TRAIN));
            JobObjects.deleteWorkingObjects(parts.store(), ready.requestId());
        } finally {
            WorkDirs.deleteQuietly(work);
        }
    }

    /**
     * Waits while another live worker holds the job (a rebalance moved its partition here while it
     * trains); false when the job is finished meanwhile or was already, true once this worker holds
     * the lease.
     */
    private boolean awaitLease(ReadyMessage ready, JobLease lease) throws InterruptedException {
        boolean announced = false;
        while (true) {
            if (parts.store().exists(TrainJob.doneKey(ready.requestId()))) {
                LOG.info("{} already completed; dropping its redelivered dataset message", ready.requestId());
                return false;
            }
            String holder = lease.acquire();
            if (holder == null) {
                if (parts.store().exists(TrainJob.doneKey(ready.requestId()))) {
                    return false; // finished by the previous holder just before it let go
                }
                return true;
            }
            if (!announced) {
                LOG.info("{} is being trained by {}; waiting for it to finish or go silent", ready.requestId(), holder);
                announced = true;
            }
            Thread.sleep(lease.recheckInterval().toMillis());
        }
    }

    /** Fails the job visibly (500, billed 0); throws while the event cannot be written, and is called again. */
    @Override
    public void giveUp(ConsumerRecord<String, byte[]> record, Exception lastError) {
        ReadyMessage ready;
        try {
            ready = Json.fromBytes(record.value(), ReadyMessage.class);
        } catch (UncheckedIOException | NullPointerException e) {
            LOG.error("giving up on an unreadable dataset message at offset {}", record.offset());
            return;
        }
        events.emit(ready.requestId(), ready.keyId(), EventType.FAILED, new Payloads.Failed(500, "internal_error",
                Json.toTree("Training failed: " + lastError.getMessage()), Payloads.STAGE_TRAIN));
        JobObjects.deleteWorkingObjects(parts.store(), ready.requestId());
    }
}
