package org.ltxfleet.train;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.io.WorkDirs;
import org.ltxfleet.common.job.HeldJob;
import org.ltxfleet.common.job.JobHold;
import org.ltxfleet.common.job.JobLease;
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
 * Takes a ready dataset off {@code ltx.ready}: holds the job ({@link JobHold}: waits while another
 * worker trains it, skips it once training has ended it), skips canceled jobs and trains the rest.
 * Every path but a shutdown ends with a durable event and the done marker before the offset is
 * committed; a shutdown leaves a checkpoint and no outcome, so the job is handed to the next
 * worker, which resumes it.
 */
final class ReadyIntake implements StageConsumer.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(ReadyIntake.class);

    private final EventWriter events;
    private final CancellationWatcher cancellations;
    private final TrainWorker.Parts parts;
    /** The job this worker holds, between {@link #claim} and {@link #release}. */
    private final HeldJob hold = new HeldJob();

    ReadyIntake(EventWriter events, CancellationWatcher cancellations, TrainWorker.Parts parts) {
        this.events = events;
        this.cancellations = cancellations;
        this.parts = parts;
    }

    /** Holds the job; false when training has already ended it (a redelivered dataset message). */
    @Override
    public boolean claim(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        ReadyMessage ready = read(record);
        if (ready == null) {
            return true; // handle() skips it
        }
        var job = new JobHold(parts.store(), JobHold.Stage.TRAIN, ready.requestId(), events.source(),
                parts.settings().lease());
        boolean mine = hold.take(job, holder ->
                LOG.info("{} is being trained by {}; waiting for it to finish or go silent", ready.requestId(), holder));
        if (!mine) {
            LOG.info("{} already ended; dropping its redelivered dataset message", ready.requestId());
        }
        return mine;
    }

    /** A job submitted with {@code x-fal-no-retry} ({@code no_retry}) is trained in one attempt. */
    @Override
    public boolean retried(ConsumerRecord<String, byte[]> record) {
        ReadyMessage ready = read(record);
        return ready == null || ready.retried();
    }

    @Override
    public void release(ConsumerRecord<String, byte[]> record) {
        hold.release();
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> record) throws Exception {
        ReadyMessage ready = read(record);
        if (ready == null) {
            LOG.warn("skipping unreadable dataset message at offset {}", record.offset());
            return;
        }
        if (cancellations.isCanceled(ready.requestId())) {
            events.emit(ready.requestId(), ready.keyId(), EventType.CANCELED, new Payloads.Canceled(Payloads.STAGE_TRAIN));
            hold.get().markFinished("canceled");
            return;
        }
        train(ready, hold.get());
    }

    private void train(ReadyMessage ready, JobHold job) throws Exception {
        events.emit(ready.requestId(), ready.keyId(), EventType.STARTED,
                new Payloads.Started(Payloads.STAGE_TRAIN, events.source()));
        Path work = parts.scratch().jobDirectory(ready.requestId());
        try {
            new TrainJob(parts.settings(), parts.store(), events, cancellations, parts.baseModels(), job).run(ready, work);
        } catch (JobLease.LostException e) {
            // This worker went silent long enough for another to take the job over from its checkpoint.
            // No commit: the record comes back here and waits on the new holder, so should that one
            // die as well, the job is taken over again instead of staying IN_PROGRESS for ever.
            LOG.warn("{}: {}; leaving the job to it", ready.requestId(), e.getMessage());
            throw new StageConsumer.HandedBack(e.getMessage());
        } catch (JobFailedException e) {
            events.emit(ready.requestId(), ready.keyId(), EventType.FAILED, new Payloads.Failed(e.statusCode(),
                    e.errorType(), e.detail(), Payloads.STAGE_TRAIN));
            job.markFinished("failed");
            JobObjects.deleteWorkingObjects(parts.store(), ready.requestId());
        } finally {
            WorkDirs.deleteQuietly(work);
        }
    }

    /**
     * Fails the job visibly (500, billed 0), unless training ended it meanwhile or another worker
     * holds it now; throws while the event cannot be written, and is called again.
     */
    @Override
    public void giveUp(ConsumerRecord<String, byte[]> record, Exception lastError) throws StageConsumer.HandedBack {
        ReadyMessage ready = read(record);
        if (ready == null) {
            LOG.error("giving up on an unreadable dataset message at offset {}", record.offset());
            return;
        }
        if (!hold.mayGiveUp()) {
            LOG.info("{} ended meanwhile; nothing to give up", ready.requestId());
            return;
        }
        events.emit(ready.requestId(), ready.keyId(), EventType.FAILED, new Payloads.Failed(500, "internal_error",
                Json.toTree("Training failed: " + lastError.getMessage()), Payloads.STAGE_TRAIN));
        hold.get().markFinished("failed");
        JobObjects.deleteWorkingObjects(parts.store(), ready.requestId());
    }

    private static ReadyMessage read(ConsumerRecord<String, byte[]> record) {
        try {
            return Json.fromBytes(record.value(), ReadyMessage.class);
        } catch (UncheckedIOException | NullPointerException e) {
            return null;
        }
    }
}
