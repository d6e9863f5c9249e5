package org.ltxfleet.preprocess;

import java.nio.file.Path;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.io.WorkDirs;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.job.InputValidator;
import org.ltxfleet.common.job.InvalidInputException;
import org.ltxfleet.common.job.JobFailedException;
import org.ltxfleet.common.job.HeldJob;
import org.ltxfleet.common.job.JobHold;
import org.ltxfleet.common.job.JobLease;
import org.ltxfleet.common.job.TrainingInput;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.CancellationWatcher;
import org.ltxfleet.common.kafka.EventWriter;
import org.ltxfleet.common.kafka.JobMessage;
import org.ltxfleet.common.kafka.JobMessageCheck;
import org.ltxfleet.common.kafka.ReadyMessage;
import org.ltxfleet.common.kafka.Records;
import org.ltxfleet.common.kafka.StageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ltxfleet.common.s3.JobObjects;
import org.ltxfleet.common.s3.ObjectStore;

/**
 * Takes a job off {@code ltx.jobs}: skips later records of a request id ({@link JobClaims}), holds
 * the job ({@link JobHold}: waits while another worker preprocesses it, skips it once preprocessing
 * has ended it), skips canceled jobs, ends those past their deadline to start
 * (504, as the gateway does for jobs still queued), validates the input with the gateway's
 * validator (jobs may come straight from users' producers), announces the stage and hands it to
 * the preprocessing. Every path ends with a durable event, then the done marker, before the offset
 * is committed. A job
 * canceled while it runs is stopped where it is (download, extraction, decoding, encoding) and
 * ends CANCELED.
 */
final class JobIntake implements StageConsumer.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(JobIntake.class);

    private final EventWriter events;
    private final CancellationWatcher cancellations;
    private final DatasetJob dataset;
    private final InputValidator validator = new InputValidator();
    private final JobClaims claims;
    private final org.ltxfleet.common.io.ScratchSpace scratch;
    private final ObjectStore store;
    private final JobLease.Timing lease;
    /** The job this worker holds, between {@link #claim} and {@link #release}. */
    private final HeldJob hold = new HeldJob();

    JobIntake(EventWriter events, CancellationWatcher cancellations, DatasetJob.Parts parts, JobLease.Timing lease) {
        this.events = events;
        this.cancellations = cancellations;
        this.dataset = new DatasetJob(parts, events);
        this.claims = new JobClaims(parts.store());
        this.scratch = parts.scratch();
        this.store = parts.store();
        this.lease = lease;
    }

    /**
     * Holds the record's job; false when the record is not its request id's job ({@link JobClaims})
     * or preprocessing has already ended it.
     */
    @Override
    public boolean claim(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        JobMessageCheck.Checked checked = JobMessageCheck.read(record.value());
        if (checked.skip() != null) {
            return true; // handle() logs and skips it
        }
        String requestId = checked.requestId();
        if (!claims.claim(requestId, checked.keyId(), record)) {
            // Another record of this request id is the job; any event from this one would mix into it.
            LOG.warn("skipping a later record of request {} by key {} at {}-{}@{}: the job is {}", requestId,
                    checked.keyId(), record.topic(), record.partition(), record.offset(), claims.holder(requestId));
            return false;
        }
        var job = new JobHold(store, JobHold.Stage.PREPROCESS, requestId, events.source(), lease);
        boolean mine = hold.take(job, holder ->
                LOG.info("{} is being preprocessed by {}; waiting for it to finish or go silent", requestId, holder));
        if (!mine) {
            LOG.info("{} already preprocessed; dropping its redelivered record", requestId);
        }
        return mine;
    }

    /** A job submitted with {@code x-fal-no-retry} ({@code no_retry}) is preprocessed in one attempt. */
    @Override
    public boolean retried(ConsumerRecord<String, byte[]> record) {
        JobMessage job = JobMessageCheck.read(record.value()).job();
        return job == null || job.retried();
    }

    @Override
    public void release(ConsumerRecord<String, byte[]> record) {
        hold.release();
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> record) throws Exception {
        JobMessageCheck.Checked checked = JobMessageCheck.read(record.value());
        if (checked.skip() != null) {
            // Without a sound request id and key id nobody could ever see a failure event for it.
            LOG.warn("skipping a record at {}-{}@{} that is no job: {}", record.topic(), record.partition(),
                    record.offset(), checked.skip());
            return;
        }
        String requestId = checked.requestId();
        String keyId = checked.keyId();
        if (cancellations.isCanceled(requestId)) {
            canceled(requestId, keyId);
            return;
        }
        if (!checked.problems().isEmpty()) {
            failed(requestId, keyId, new Payloads.Failed(422, "validation_error",
                    Json.toTree(checked.problems()), Payloads.STAGE_PREPROCESS));
            return;
        }
        JobMessage job = checked.job();
        if (job.startDeadlinePassed(Instant.now())) {
            failed(requestId, keyId, Payloads.Failed.startTimeout(Payloads.STAGE_QUEUE));
            return;
        }
        TrainingInput input;
        try {
            input = validator.validate(job.input());
        } catch (InvalidInputException e) {
            failed(requestId, keyId, new Payloads.Failed(422, "validation_error",
                    Json.toTree(e.problems()), Payloads.STAGE_PREPROCESS));
            return;
        }
        events.emit(job.requestId(), job.keyId(), EventType.STARTED,
                new Payloads.Started(Payloads.STAGE_PREPROCESS, events.source()));
        preprocess(job, input);
    }

    private void preprocess(JobMessage job, TrainingInput input) throws Exception {
        events.emit(job.requestId(), job.keyId(), EventType.LOG, new Payloads.Log("INFO",
                "preprocess: " + input.numberOfFrames() + " frames at " + input.frameRate() + " fps, "
                        + input.bucket().width() + "x" + input.bucket().height(), Payloads.STAGE_PREPROCESS));
        Path work = scratch.jobDirectory(job.requestId());
        try {
            DatasetJob.Result result;
            // A cancel interrupts the download, extraction, decoding or encoding where it is.
            try (var cancel = cancellations.interruptOnCancel(job.requestId(), Thread.currentThread())) {
                result = dataset.run(job, input, work);
            }
            if (cancellations.isCanceled(job.requestId())) {
                canceled(job.requestId(), job.keyId());
                JobObjects.deleteValidationObjects(store, job.requestId());
                return;
            }
            // Written (and acknowledged) before the job's offset is committed: a worker dying after
            // this line leaves at worst a duplicate ready message, which the train worker drops.
            events.send(Records.ready(new ReadyMessage(1, job.requestId(), job.keyId(), job.endpoint(), job.webhookUrl(), input,
                    result.bundleKey(), Json.toTree(result.stats()), result.validationKey(), result.debugDatasetKey(),
                    job.retried() ? null : Boolean.TRUE)));
            hold.get().markFinished("ready");
        } catch (Exception e) {
            if (!cancellations.isCanceled(job.requestId())) {
                if (e instanceof JobFailedException failure) {
                    failed(job.requestId(), job.keyId(), new Payloads.Failed(failure.statusCode(),
                            failure.errorType(), failure.detail(), Payloads.STAGE_PREPROCESS));
                    // The validation keyframes are encoded first: a dataset that fails leaves them behind.
                    JobObjects.deleteValidationObjects(store, job.requestId());
                    return;
                }
                // An interrupt without a cancellation is a shutdown: the job goes back to the group.
                throw e;
            }
            LOG.info("job {} canceled during preprocessing ({})", job.requestId(), e.toString());
            canceled(job.requestId(), job.keyId());
            JobObjects.deleteValidationObjects(store, job.requestId());
        } finally {
            WorkDirs.deleteQuietly(work);
        }
    }

    /** Ends a job canceled mid-way; the interrupt that stopped it is cleared so the event can be written. */
    private void canceled(String requestId, String keyId) {
        Thread.interrupted();
        events.emit(requestId, keyId, EventType.CANCELED, new Payloads.Canceled(Payloads.STAGE_PREPROCESS));
        hold.get().markFinished("canceled");
    }

    private void failed(String requestId, String keyId, Payloads.Failed failure) {
        events.emit(requestId, keyId, EventType.FAILED, failure);
        hold.get().markFinished("failed");
    }

    /**
     * Fails the job visibly (500, billed 0), unless preprocessing ended it meanwhile or another
     * worker holds it now; throws while the event cannot be written, and is called again.
     */
    @Override
    public void giveUp(ConsumerRecord<String, byte[]> record, Exception lastError) throws StageConsumer.HandedBack {
        JobMessageCheck.Checked checked = JobMessageCheck.read(record.value());
        if (checked.skip() != null) {
            LOG.error("giving up on a record at {}-{}@{} that is no job: {}", record.topic(), record.partition(),
                    record.offset(), checked.skip());
            return;
        }
        String requestId = checked.requestId();
        if (!hold.mayGiveUp()) {
            LOG.info("{} ended meanwhile; nothing to give up", requestId);
            return;
        }
        failed(requestId, checked.keyId(), new Payloads.Failed(500, "internal_error",
                Json.toTree("Preprocessing failed: " + lastError.getMessage()), Payloads.STAGE_PREPROCESS));
        JobObjects.deleteValidationObjects(store, requestId);
    }
}
